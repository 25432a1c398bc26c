import { readFileSync } from 'node:fs';

// Linux reports process times in clock ticks; 100 per second on every mainstream kernel config.
const CLK_TCK = 100;
// One sample a second, 11 minutes kept: enough for a 10-minute window plus its starting point.
const CAPACITY = 660;

/** CPU time (utime+stime, plus reaped children) and start time of a process from /proc. */
export interface ProcStat {
  cpuTicks: number;
  startTicks: number;
}

export function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces and parentheses; fields after its `)` are fixed.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (n: number): number => Number(fields[n - 3]);
  return { cpuTicks: field(14) + field(15) + field(16) + field(17), startTicks: field(22) };
}

/** Samples of one process's cumulative CPU time, to compute its usage over a window. */
export class CpuHistory {
  private readonly at = new Float64Array(CAPACITY);
  private readonly ticks = new Float64Array(CAPACITY);
  private next = 0;
  private size = 0;

  constructor(private readonly pid: number) {}

  /** Takes one sample; false when the process is gone. */
  sample(now: number): boolean {
    const stat = readProcStat(this.pid);
    if (!stat) return false;
    this.at[this.next] = now;
    this.ticks[this.next] = stat.cpuTicks;
    this.next = (this.next + 1) % CAPACITY;
    this.size = Math.min(this.size + 1, CAPACITY);
    return true;
  }

  /** CPU seconds the process used up to the newest sample; null before the first one. */
  get totalSeconds(): number | null {
    if (this.size === 0) return null;
    return (this.ticks[(this.next - 1 + CAPACITY) % CAPACITY] as number) / CLK_TCK;
  }

  /**
   * Percent of one core used between the sample closest before `since` (or the oldest one) and
   * the newest; null with fewer than two samples.
   */
  percentSince(since: number): number | null {
    if (this.size < 2) return null;
    const newest = (this.next - 1 + CAPACITY) % CAPACITY;
    let start = newest;
    for (let n = 1; n < this.size; n++) {
      const i = (newest - n + CAPACITY) % CAPACITY;
      start = i;
      if ((this.at[i] as number) <= since) break;
    }
    const seconds = ((this.at[newest] as number) - (this.at[start] as number)) / 1000;
    if (seconds <= 0) return null;
    const used = ((this.ticks[newest] as number) - (this.ticks[start] as number)) / CLK_TCK;
    return (used / seconds) * 100;
  }
}

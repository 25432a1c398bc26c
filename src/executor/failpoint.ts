/**
 * Crash injection for the crash-recovery tests, in the spirit of etcd's gofail: with
 * `CUTOVER_FAILPOINT=after-append:N` the process SIGKILLs itself right after its Nth journal
 * append (the step announced, nothing done yet); with `before-append:N`, right before it (the
 * step's side effect done, its outcome not recorded). Unset, it costs one comparison per event.
 */
interface Failpoint {
  when: 'before-append' | 'after-append';
  at: number;
}

function parse(spec: string | undefined): Failpoint | null {
  const m = /^(before-append|after-append):(\d+)$/.exec(spec ?? '');
  return m ? { when: m[1] as Failpoint['when'], at: Number(m[2]) } : null;
}

const failpoint = parse(process.env.CUTOVER_FAILPOINT);
let appends = 0;

function crash(): never {
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL is delivered before this line runs; the loop only satisfies the type checker.
  for (;;);
}

export function beforeAppend(): void {
  if (failpoint?.when === 'before-append' && appends + 1 === failpoint.at) crash();
}

export function afterAppend(): void {
  appends++;
  if (failpoint?.when === 'after-append' && appends === failpoint.at) crash();
}

// Prints the bench's table and one PASS/MISS line per target of the issue. A miss is printed,
// never thrown: the bench reports, it does not gate.

const TARGET_RPS_RATIO = 0.7;
const TARGET_ADDED_P50_US = 100;
const TARGET_SHIFT_MS = 10;

const pad = (value, width) => String(value).padStart(width);
const rps = (r) => Math.round(r.rps).toLocaleString('en-US');
const us = (value) => `${Math.round(value)} µs`;
const verdict = (ok) => (ok ? 'PASS' : 'MISS');

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

/** `rows`: [name, result] in the order measured. */
function printRuns(rows) {
  const columns = [
    'target',
    'rps',
    'p50',
    'p99',
    'idle p50',
    'idle p99',
    'failed',
    'canary',
    'CPU/req',
    'other',
    'steal',
  ];
  const widths = [11, 9, 10, 10, 10, 10, 8, 8, 10, 8, 8];
  const row = (cells) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[0]) : pad(c, widths[i]))).join('');
  console.log(`\n${row(columns)}`);
  for (const [name, r] of rows) {
    const share = r.canaryShare === null ? '-' : `${(r.canaryShare * 100).toFixed(1)} %`;
    const cpu = r.cpuUsPerRequest === null ? '-' : `${r.cpuUsPerRequest.toFixed(1)} µs`;
    const other = `${Math.round(r.otherLoad * 100)} %`;
    const steal = `${Math.round(r.steal * 100)} %`;
    console.log(
      row([
        name,
        rps(r),
        us(r.p50Us),
        us(r.p99Us),
        us(r.idleP50Us),
        us(r.idleP99Us),
        r.failed,
        share,
        cpu,
        other,
        steal,
      ]),
    );
  }
  console.log(
    'p50/p99 under load (wrk -c as given; saturated, so mostly queueing); idle: one connection.\n' +
      'canary: share the canary backend received; CPU/req: the router (for cutover the daemon and\n' +
      'its router processes); other: CPU the rest of the machine used meanwhile, in % of one core\n' +
      '(anything well above 0 skews the run); steal: CPU the host gave to other machines meanwhile,\n' +
      'in % of one core (same).',
  );
}

function printShift(name, s) {
  const ms = (value) => `${value >= 0 ? '+' : ''}${value.toFixed(2)} ms`;
  console.log(
    `shift ${name.padEnd(8)} call ${s.callMs.toFixed(2)} ms; last canary request ${ms(s.lastFromIssueMs)} ` +
      `after issuing, ${ms(s.lastFromReturnMs)} after the call returned; ` +
      `canary had ${s.canaryBefore} requests before; failed ${s.failed} of ${s.requests}`,
  );
}

/**
 * `direct`: the run straight at the backend; `pairs`: per round {cutover, haproxy|null};
 * `shifts`: {cutover, haproxy?}. Each figure is its own median over the rounds; the ratio is the
 * median of the per-round ratios, so one noisy round moves none of them.
 */
export function printReport(direct, pairs, shifts) {
  const rows = [['direct', direct]];
  pairs.forEach((p, i) => {
    rows.push([`cutover ${i + 1}`, p.cutover]);
    if (p.haproxy) rows.push([`haproxy ${i + 1}`, p.haproxy]);
  });
  printRuns(rows);
  console.log('');
  for (const [name, s] of Object.entries(shifts)) printShift(name, s);
  const cutoverRps = median(pairs.map((p) => p.cutover.rps));
  const addedP50 = median(pairs.map((p) => p.cutover.idleP50Us)) - direct.idleP50Us;
  console.log('');
  console.log(`cutover/direct rps ${(cutoverRps / direct.rps).toFixed(2)} (median of rounds)`);
  if (pairs[0].haproxy) {
    const ratios = pairs.map((p) => p.cutover.rps / p.haproxy.rps);
    const ratio = median(ratios);
    const each = ratios.map((r) => r.toFixed(2)).join(', ');
    console.log(
      `haproxy/direct rps ${(median(pairs.map((p) => p.haproxy.rps)) / direct.rps).toFixed(2)} (median of rounds)`,
    );
    console.log(
      `${verdict(ratio >= TARGET_RPS_RATIO)} cutover/haproxy rps ${ratio.toFixed(2)}, median of rounds ${each} (target ≥ ${TARGET_RPS_RATIO})`,
    );
    const haproxyP50 = median(pairs.map((p) => p.haproxy.idleP50Us));
    console.log(`     haproxy added p50 ${us(haproxyP50 - direct.idleP50Us)} (idle, median of rounds)`);
  } else {
    console.log('MISS cutover/haproxy rps: not measured (HAProxy not installed)');
  }
  console.log(
    `${verdict(addedP50 < TARGET_ADDED_P50_US)} cutover added p50 ${us(addedP50)} (idle, median of rounds; target < ${TARGET_ADDED_P50_US} µs)`,
  );
  const s = shifts.cutover;
  const shifted = s.lastFromIssueMs < TARGET_SHIFT_MS && s.failed === 0;
  console.log(
    `${verdict(shifted)} cutover shift to 0 %: last canary request ${s.lastFromIssueMs.toFixed(2)} ms after issuing, ` +
      `${s.failed} failed (target < ${TARGET_SHIFT_MS} ms, 0 failed)`,
  );
}

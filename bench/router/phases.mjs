// The two things measured per target: a loaded run (throughput, latency under saturation, CPU
// per request, the split actually seen) plus an unloaded one (the latency a router adds), and
// the shift to 0 % under load. Every target gets the same wrk settings.
import {
  msBetween,
  readBackendStats,
  readCpuSeconds,
  readMachineCpuSeconds,
  readOwnCpuSeconds,
  sleep,
} from './probes.mjs';
import { runWrk } from './wrk.mjs';
import { trackChild } from './cleanup.mjs';

/**
 * `bench`: {script, load, warmup, unloaded, shiftSeconds, stablePort, canaryPort, ourPids()}.
 * ourPids() lists the processes of the bench outside this one (daemon, versions, HAProxy):
 * whatever else the machine did meanwhile is reported as other load, which skews the figures.
 */
export function createPhases(bench) {
  const url = (port) => `http://127.0.0.1:${port}/`;
  const ourCpu = () => bench.ourPids().reduce((sum, pid) => sum + readCpuSeconds(pid), readOwnCpuSeconds());
  const counts = async () => ({
    stable: (await readBackendStats(bench.stablePort)).requests,
    canary: (await readBackendStats(bench.canaryPort)).requests,
  });

  /** `routerPids`: the router's processes, null for the direct run. */
  async function measure(port, routerPids) {
    const routerCpuSeconds = () => routerPids.reduce((sum, pid) => sum + readCpuSeconds(pid), 0);
    await runWrk(url(port), bench.script, bench.warmup, trackChild);
    const before = { ...(await counts()), router: routerPids ? routerCpuSeconds() : 0 };
    const machine = readMachineCpuSeconds();
    const ours = ourCpu();
    const loaded = await runWrk(url(port), bench.script, bench.load, trackChild);
    const machineAfter = readMachineCpuSeconds();
    const stolen = (machineAfter.steal - machine.steal) / bench.load.seconds;
    const otherLoad = (machineAfter.busy - machine.busy - (ourCpu() - ours)) / bench.load.seconds;
    const after = await counts();
    const routerCpu = routerPids ? routerCpuSeconds() - before.router : null;
    const unloaded = await runWrk(url(port), bench.script, bench.unloaded, trackChild);
    const toCanary = after.canary - before.canary;
    return {
      ...loaded,
      failed: loaded.failed + unloaded.failed,
      idleP50Us: unloaded.p50Us,
      idleP99Us: unloaded.p99Us,
      cpuUsPerRequest: routerCpu === null ? null : (routerCpu * 1e6) / loaded.requests,
      canaryShare: routerPids ? toCanary / (toCanary + after.stable - before.stable) : null,
      otherLoad: Math.max(0, otherLoad),
      steal: stolen,
    };
  }

  /** Under load at 95/5, sends the canary to 0 % halfway through and times its last request. */
  async function shift(port, setCanaryToZero) {
    const atStart = await readBackendStats(bench.canaryPort);
    const seconds = bench.shiftSeconds;
    const running = runWrk(url(port), bench.script, { ...bench.load, seconds }, trackChild);
    await sleep((seconds * 1000) / 2);
    const issued = process.hrtime.bigint();
    await setCanaryToZero();
    const returned = process.hrtime.bigint();
    const loaded = await running;
    const canary = await readBackendStats(bench.canaryPort);
    return {
      callMs: msBetween(issued, returned),
      lastFromIssueMs: msBetween(issued, canary.lastNs),
      lastFromReturnMs: msBetween(returned, canary.lastNs),
      canaryBefore: canary.requests - atStart.requests,
      failed: loaded.failed,
      requests: loaded.requests,
    };
  }

  return { measure, shift };
}

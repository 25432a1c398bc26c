// Everything the bench starts (daemon, versions, HAProxy, wrk, temp dirs) registers how to undo
// it here, so that a normal end, a failure and Ctrl-C all leave the machine as they found it.
// The daemon and its versions run detached (their own process groups): Ctrl-C in the terminal
// never reaches them, only this list does.

const undo = [];
const children = new Set();
let running = null;

/** Registers `fn` to run at cleanup, in reverse order of registration. */
export function onCleanup(fn) {
  undo.push(fn);
}

/** Tracks a child process (by its pid) so cleanup can end it if it is still running. */
export function trackChild(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** Runs every cleanup once; later calls wait for the first. */
export function cleanup() {
  running ??= (async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    }
    while (undo.length > 0) {
      const fn = undo.pop();
      try {
        await fn();
      } catch (err) {
        console.error(`cleanup: ${err.message}`);
      }
    }
  })();
  return running;
}

/** Ctrl-C and SIGTERM clean up, then exit with the conventional 128 + signal number. */
export function cleanUpOnSignals() {
  for (const [signal, number] of [
    ['SIGINT', 2],
    ['SIGTERM', 15],
  ]) {
    process.once(signal, () => {
      console.error(`\n${signal}: cleaning up`);
      void cleanup().finally(() => process.exit(128 + number));
    });
  }
}

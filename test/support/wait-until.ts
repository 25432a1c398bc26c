/**
 * Waits for `condition` to hold, checking every 50 ms. The bound is generous on purpose: it only
 * turns a condition that never comes into a failure naming `what`, it measures nothing (the
 * machine running the tests is shared, and may be slow for seconds at a time).
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms in vain for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

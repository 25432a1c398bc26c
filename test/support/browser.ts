import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const BIN = process.env.CUTOVER_CHROMIUM ?? '/usr/bin/chromium';
const INSTALL = 'apt-get install -y chromium';

/** Without CI, browser tests skip when Chromium is missing; with CI=true they fail. */
export function skipUnlessChromium(): string | false {
  if (existsSync(BIN) || process.env.CI === 'true') return false;
  return `not installed: chromium (${INSTALL}); with CI=true this test fails instead`;
}

/** Where a browser test's screenshots go (gitignored): test-output/<name>/. */
export function screenshotDir(name: string): string {
  const dir = join(process.cwd(), 'test-output', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Debian's Chromium driven by playwright-core (RECIPES, "Browser tests"), headless, with nothing
 * that reaches the network by itself; `browser.close()` ends its processes.
 */
export async function launchChromium(): Promise<{ browser: Browser; requests: PageRequests }> {
  if (!existsSync(BIN)) throw new Error(`chromium is not installed at ${BIN} (${INSTALL})`);
  const browser = await chromium.launch({
    executablePath: BIN,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  return { browser, requests: { urls: [], offsite: [] } };
}

/** Every URL the pages asked for, and those not on loopback (aborted). */
export interface PageRequests {
  urls: string[];
  offsite: string[];
}

/**
 * A page confined to 127.0.0.1: a request elsewhere is aborted, so a page that needs a CDN fails
 * its test. Every URL is recorded in `requests`.
 */
export async function loopbackPage(
  browser: Browser,
  requests: PageRequests,
  width = 1280,
  height = 900,
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    requests.urls.push(url.href);
    if (url.hostname === '127.0.0.1') return route.continue();
    requests.offsite.push(url.href);
    return route.abort();
  });
  return context.newPage();
}

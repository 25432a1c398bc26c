import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Generous bounds that only turn a condition that never comes into a failure; they time nothing. */
const LONG = 60_000;

/**
 * The dashboard as a person uses it, through what they see and press: the token form, the
 * deploy list, the action buttons and their confirm dialog. `shot` saves a full-page screenshot.
 */
export function dashboardPage(page: Page, shotsDir: string) {
  const summary = page.locator('#deploy-summary');
  return {
    page,
    async signIn(token: string, expectIdentity: string) {
      await page.locator('#token-input').waitFor({ timeout: LONG });
      await page.getByLabel('Bearer token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('#identity', { hasText: expectIdentity }).waitFor({ timeout: LONG });
    },
    /** a token the server does not know: the page says so and stays on the token screen */
    async signInRefused(token: string) {
      await page.getByLabel('Bearer token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('#token-error', { hasText: 'The server does not know this token.' }).waitFor();
    },
    async signOut() {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.locator('#token-input').waitFor({ timeout: LONG });
    },
    async openDeploy(id: string) {
      await page.locator(`[data-deploy="${id}"]`).click({ timeout: LONG });
      await summary.getByText(id).waitFor({ timeout: LONG });
    },
    /** waits until the open deploy's state badge says `state` */
    async waitForState(state: string) {
      await summary.locator(`[data-state="${state}"]`).waitFor({ timeout: LONG });
    },
    async waitForStep(step: string, status?: string) {
      const sel = `#timeline [data-step="${step}"]${status ? `[data-status="${status}"]` : ''}`;
      await page.locator(sel).first().waitFor({ timeout: LONG });
    },
    /** the traffic split of `environment` as written beside its bar, e.g. "1.1.0 5 % · 1.0.0 95 %" */
    async waitForSplit(environment: string, words: RegExp) {
      await page
        .locator(`[data-environment="${environment}"] .split-words`, { hasText: words })
        .waitFor({ timeout: LONG });
    },
    /** presses Tab until the element matching `selector` has the focus (the keyboard reaches it) */
    async tabTo(selector: string) {
      for (let presses = 0; presses < 80; presses++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
      }
      throw new Error(`Tab never reached ${selector}`);
    },
    action: (verb: string) => page.locator(`#deploy-actions [data-action="${verb}"]`),
    /** presses the verb's button, then its confirm dialog's "Yes" */
    async confirm(verb: string, beforeYes?: () => Promise<void>) {
      await page.locator(`#deploy-actions [data-action="${verb}"]`).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor({ timeout: LONG });
      if (beforeYes) await beforeYes();
      await dialog.getByRole('button', { name: `Yes, ${verb}` }).click();
      await dialog.waitFor({ state: 'detached', timeout: LONG });
    },
    async shot(name: string) {
      await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true });
    },
  };
}

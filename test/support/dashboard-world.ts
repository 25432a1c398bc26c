import assert from 'node:assert/strict';
import { launchChromium, loopbackPage, screenshotDir } from './browser.js';
import { measureContrast } from './contrast.js';
import { dashboardPage } from './dashboard-page.js';
import { endOf, makeServedProject, servedClient, TOKENS } from './serve-project.js';

/**
 * What the dashboard's browser test runs on: a served project (a token per role, four eyes in
 * production) whose production serves v1, and Debian's Chromium. `open` gives a fresh page (its
 * own session storage) on the dashboard; `dispose` closes the browser and stops everything.
 */
export async function startDashboardWorld() {
  const project = await makeServedProject();
  const client = servedClient(project);
  const { browser, requests } = await launchChromium().catch(async (err: unknown) => {
    await project.serve.stop();
    await project.dispose();
    throw err;
  });
  const events = await client.events();
  const v1 = await client.call('POST', '/api/deploys', TOKENS.deployer, client.deployBody('v1', '1.0.0'));
  assert.equal(v1.status, 202, JSON.stringify(v1.body));
  await events.collect(endOf(v1.body.deploy_id));
  events.close();
  const shots = screenshotDir('dashboard');
  return {
    project,
    client,
    requests,
    async open() {
      const ui = dashboardPage(await loopbackPage(browser, requests), shots);
      await ui.page.goto(project.serve.url);
      return ui;
    },
    async dispose() {
      await browser.close();
      await project.serve.stop();
      await project.dispose();
    },
  };
}

/** Every text of the page meets WCAG AA contrast (and there is text to measure). */
export async function assertContrast(page: Parameters<typeof measureContrast>[0]): Promise<void> {
  const { checked, low } = await measureContrast(page);
  assert.ok(checked > 20, `only ${checked} texts measured`);
  assert.deepEqual(low, [], 'every text is WCAG AA');
}

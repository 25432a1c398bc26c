import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { skipUnlessChromium } from '../support/browser.js';
import { assertContrast, startDashboardWorld } from '../support/dashboard-world.js';
import { NAMES, TOKENS } from '../support/serve-project.js';
import { startTraffic } from '../support/traffic.js';

// A real `cutover serve` on a real project (embedded defaults, local runtime) and Debian's
// Chromium: the dashboard is used as a person uses it, the deploys are started over the API.
describe('the dashboard of cutover serve', { skip: skipUnlessChromium() }, () => {
  let world: Awaited<ReturnType<typeof startDashboardWorld>>;
  before(async () => {
    world = await startDashboardWorld();
  });
  after(() => world?.dispose());

  test('a deployer watches a canary live, sees 5 %, aborts it and sees the rollback to 100 % stable', async () => {
    const ui = await world.open();
    await ui.signInRefused('not-a-token-of-this-server');
    await ui.shot('1-token-screen');
    await ui.signIn(TOKENS.deployer, `${NAMES.deployer} · deployer`);
    await ui.page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    const traffic = startTraffic(world.project.url(), 8);
    const strategy = {
      mode: 'canary',
      canary: { steps: [5], observe: '4s' },
      analysis: { min_requests: 20 },
    };
    const started = await world.client.call(
      'POST',
      '/api/deploys',
      TOKENS.deployer,
      world.client.deployBody('v2', '1.1.0', strategy),
    );
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const id = started.body.deploy_id as string;
    await ui.openDeploy(id);
    // No click or reload from here to the abort: every change below arrives over the event stream.
    await ui.waitForStep('OBSERVE', 'running');
    await ui.waitForSplit('production', /^1\.1\.0 5 % · 1\.0\.0 95 %$|^1\.0\.0 95 % · 1\.1\.0 5 %$/);
    await ui.shot('2-canary-observing');
    await ui.waitForState('paused');
    await traffic.stop();
    await ui.page.locator('#analysis [data-verdict="pass"]').waitFor();
    await ui.waitForSplit('production', /1\.1\.0 5 %/);
    await ui.shot('3-canary-paused-at-5');
    assert.equal(await ui.action('approve').isDisabled(), true, 'a deployer cannot approve');
    assert.equal(await ui.action('abort').isEnabled(), true);
    await assertContrast(ui.page);
    await ui.tabTo('[data-action="abort"]');
    assert.notEqual(await ui.action('abort').evaluate((b) => getComputedStyle(b).outlineStyle), 'none');
    await ui.page.keyboard.press('Enter');
    await ui.page.getByRole('dialog').waitFor();
    await ui.page.keyboard.press('Escape'); // backs out: nothing is sent
    await ui.page.getByRole('dialog').waitFor({ state: 'detached' });
    await ui.waitForState('paused');

    await ui.confirm('abort', () => ui.shot('4-confirm-abort'));
    await ui.waitForState('rolled_back');
    await ui.waitForSplit('production', /^1\.0\.0 100 %$/);
    await ui.waitForStep('ABORT_REQUESTED');
    await ui.shot('5-aborted-rolled-back');
    const flag = ui.page.locator('#flags [data-flag="ff-shop"] [data-environment="production"]');
    assert.equal(await flag.textContent(), 'on 100 %', 'the flag is back as it was before the canary');
    assert.equal(
      await ui.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
      true,
    );

    const result = await world.client.call('GET', `/api/deploys/${id}`, TOKENS.viewer);
    assert.equal(result.body.deploy_result.state, 'rolled_back');
    const log = await world.client.call('GET', `/api/deploys/${id}/log`, TOKENS.viewer);
    const abort = log.body.rows.find((r: any) => r.event.type === 'ABORT_REQUESTED');
    assert.equal(abort.event.by, NAMES.deployer, 'the journal says the dashboard user aborted');
    await ui.page.context().close();
  });

  test('an approver approves a manual deploy from the dashboard; its starter cannot (four eyes)', async () => {
    // root (admin) starts it: root may approve by role, but not its own deploy in production
    const manual = await world.client.call(
      'POST',
      '/api/deploys',
      TOKENS.admin,
      world.client.deployBody('v3', '1.2.0', 'manual'),
    );
    assert.equal(manual.status, 202, JSON.stringify(manual.body));
    const id = manual.body.deploy_id as string;
    const ui = await world.open();
    await ui.signIn(TOKENS.deployer, `${NAMES.deployer} · deployer`);
    await ui.openDeploy(id);
    await ui.waitForState('awaiting_approval');
    assert.equal(await ui.action('approve').isDisabled(), true, 'the deployer sees approve disabled');
    await ui.page.locator('#why-approve', { hasText: 'needs the approver role' }).waitFor();
    await ui.shot('6-manual-awaiting-approval-as-deployer');

    await ui.signOut();
    await ui.signIn(TOKENS.admin, `${NAMES.admin} · admin`);
    await ui.openDeploy(id);
    await ui.confirm('approve');
    await ui.page.locator('#announce', { hasText: 'approve refused: E_SELF_APPROVAL' }).waitFor();
    await ui.waitForState('awaiting_approval');

    await ui.signOut();
    await ui.signIn(TOKENS.approver, `${NAMES.approver} · approver`);
    await ui.openDeploy(id);
    await ui.confirm('approve');
    await ui.page.locator('#announce', { hasText: /approve: done, new deploy/ }).waitFor();
    await ui.waitForSplit('production', /^1\.2\.0 100 %$/);
    await ui.page.locator('#deploy-summary', { hasText: `approved by ${NAMES.approver}` }).waitFor();
    await ui.shot('7-approved-shipped');
    const log = await world.client.call('GET', `/api/deploys/${id}/log`, TOKENS.viewer);
    const approvals = log.body.rows.filter((r: any) => r.event.type === 'APPROVAL_RECORDED');
    assert.deepEqual(
      approvals.map((r: any) => [r.event.decision, r.event.by]),
      [['approved', NAMES.approver]],
    );

    // A narrow window (~400 px) still shows everything, in one column.
    await ui.page.setViewportSize({ width: 400, height: 800 });
    await ui.shot('8-narrow-400px');
    await assertContrast(ui.page);
    const overflow = await ui.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, 'no horizontal scrolling at 400 px');
    await ui.page.context().close();
  });

  test('the token never reaches a URL, the server log or the journal; the page loads nothing off-host', async () => {
    assert.deepEqual(world.requests.offsite, []);
    assert.ok(
      world.requests.urls.some((u) => u.includes('/api/events')),
      'the page followed the event stream',
    );
    const { stderr, stdout } = world.project.serve.output();
    const all = await world.client.call('GET', '/api/deploys?limit=50', TOKENS.viewer);
    const logs = await Promise.all(
      all.body.deploys.map((d: any) =>
        world.client.call('GET', `/api/deploys/${d.deploy_id}/log`, TOKENS.viewer),
      ),
    );
    for (const token of Object.values(TOKENS))
      for (const text of [stderr, stdout, JSON.stringify(logs.map((l) => l.body)), ...world.requests.urls])
        assert.equal(text.includes(token), false, 'a token was written down');
  });
});

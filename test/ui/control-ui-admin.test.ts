// The Control UI's operator views in a real Chromium against a real gateway: the config form and
// raw editor (baseHash, field errors, applied), sessions (search, preview, patch, reset, delete),
// agents and their files, cron (or its not-implemented state), logs with a level filter, usage,
// channels, skills and nodes; every view at 1280 px and 390 px; the refusal messages.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReady } from '../helpers/raw-socket.js';
import { DESKTOP, INSECURE_HOST, PHONE, STRANGER_HOST, mainText, startControlUiHarness, type ControlUiHarness } from '../helpers/control-ui-harness.js';

/** Controls on the page without an accessible name (runs in the page). */
function unnamedControls(): string[] {
  const unnamed: string[] = [];
  for (const el of document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], summary')) {
    if ((el as HTMLInputElement).type === 'hidden' || el.closest('[hidden]')) continue;
    const labels = (el as HTMLInputElement).labels;
    const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (labels && labels.length > 0) || el.textContent?.trim() || el.getAttribute('title');
    if (!named) unnamed.push(el.outerHTML.slice(0, 160));
  }
  return unnamed;
}

const VIEWS = ['chat', 'sessions', 'agents', 'approvals', 'config', 'cron', 'channels', 'skills', 'nodes', 'usage', 'logs'] as const;

describe('Control UI: operator views', () => {
  let h: ControlUiHarness;
  let page: Page;
  const go = async (hash: string) => {
    await page.evaluate((h) => (location.hash = h), hash);
    await expect.poll(() => page.locator('.banner.error').count().then(async (n) => n === 0 && (await page.locator('main .view').count()) === 1)).toBe(true);
  };
  const config = () => h.gw.gateway!.runtime.config.config;

  beforeAll(async () => {
    h = await startControlUiHarness();
    page = await h.open('/', { token: true });
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  it('config form: a bad value is refused at its field, a good one is saved with baseHash and applied', async () => {
    await go('#/config');
    await expect.poll(() => page.locator('details.cfg-section').count(), { timeout: 15_000 }).toBeGreaterThan(10);
    await page.locator('details[data-section="gateway"] > summary').click();
    await page.locator('#cfg-gateway-port').fill('70000');
    await page.locator('#cfg-gateway-port').press('Tab');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const portErrors = page.locator('.cfg-field[data-path="gateway.port"] .field-errors');
    await expect.poll(() => portErrors.innerText().catch(() => ''), { timeout: 15_000 }).toMatch(/65535|less than|too big/i);
    expect(await page.locator('#cfg-gateway-port').getAttribute('aria-invalid')).toBe('true');
    expect(config().gateway?.port).toBeUndefined();
    await page.locator('.cfg-field[data-path="gateway.port"]').scrollIntoViewIfNeeded();
    await h.screenshot(page, 'config-field-error-desktop');

    await page.getByRole('button', { name: 'Revert' }).click();
    await expect.poll(() => page.locator('.field-errors').count()).toBe(0);
    const workspace = mkdtempSync(join(tmpdir(), 'openclaw-ui-ws-'));
    await page.locator('details[data-section="agents"] > summary').click();
    await page.locator('#cfg-agents-defaults-workspace').fill(workspace);
    await page.locator('#cfg-agents-defaults-workspace').press('Tab');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => mainText(page), { timeout: 15_000 }).toContain('Saved and applied');
    expect(config().agents?.defaults?.workspace).toBe(workspace);
    // Applied: the default agent now works in that folder.
    await go('#/agents?agent=main');
    await expect.poll(() => page.locator('.card[aria-label="Agent main"] input[name="workspace"]').inputValue(), { timeout: 15_000 }).toBe(workspace);
  }, 60_000);

  it('raw JSON5 editor: a syntax error is shown, a stale baseHash is refused, a valid edit is applied', async () => {
    await go('#/config?mode=raw');
    const editor = page.locator('#config-raw');
    await expect.poll(() => editor.inputValue(), { timeout: 15_000 }).toContain('"gateway"');
    const original = await editor.inputValue();
    // Secrets reach the page redacted; saving the raw text back keeps the real ones.
    expect(original).not.toContain(h.gw.token);
    expect(original).toContain('__OPENCLAW_REDACTED__');
    await editor.fill('{ gateway: { port: ');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => mainText(page), { timeout: 15_000 }).toContain('JSON5');
    await h.screenshot(page, 'config-raw-error-desktop');

    // Someone else writes the file meanwhile: this editor's baseHash no longer matches.
    const current = await h.client.config.get();
    await h.client.config.patch({ raw: JSON.stringify({ ui: { note: 'changed elsewhere' } }), baseHash: current.hash });
    const edited = JSON.parse(original) as Record<string, unknown>;
    edited.ui = { seamColor: '#ff6600' };
    await editor.fill(`// edited in the Control UI\n${JSON.stringify(edited, null, 2)}`);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => mainText(page), { timeout: 15_000 }).toContain('changed since it was loaded');
    await page.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => editor.inputValue(), { timeout: 15_000 }).toContain('changed elsewhere');
    const reloaded = JSON.parse(await editor.inputValue()) as Record<string, unknown>;
    reloaded.ui = { seamColor: '#ff6600' };
    await editor.fill(`// edited in the Control UI\n${JSON.stringify(reloaded, null, 2)}`);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => mainText(page), { timeout: 15_000 }).toContain('Saved and applied');
    expect(config().ui).toEqual({ seamColor: '#ff6600' });
    expect(config().gateway?.auth?.token).toBe(h.gw.token);
  }, 60_000);

  it('sessions: search, preview, set label and thinking level, reset and delete', async () => {
    await h.client.sessions.spawn({ key: 'agent:main:alpha', label: 'Alpha notes' });
    await h.client.sessions.spawn({ key: 'agent:main:beta', label: 'Beta notes' });
    await h.client.chat.inject({ sessionKey: 'agent:main:alpha', message: 'the alpha preview line' });
    await go('#/sessions');
    await page.getByRole('searchbox', { name: 'Search sessions' }).fill('alpha');
    await page.getByRole('searchbox', { name: 'Search sessions' }).press('Enter');
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: 15_000 }).toBe(1);
    await page.getByRole('button', { name: 'Alpha notes' }).click();
    await expect.poll(() => page.locator('.preview').innerText().catch(() => ''), { timeout: 15_000 }).toContain('the alpha preview line');
    await page.locator('.detail input[name="label"]').fill('Renamed alpha');
    await page.locator('.detail select[name="thinkingLevel"]').selectOption('high');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(async () => (await h.client.sessions.list({ search: 'alpha' })).sessions[0]?.label, { timeout: 15_000 }).toBe('Renamed alpha');
    expect((await h.client.sessions.list({ search: 'alpha' })).sessions[0]?.thinkingLevel).toBe('high');
    await expect.poll(() => page.getByRole('button', { name: 'Renamed alpha' }).count(), { timeout: 15_000 }).toBe(1);
    await h.screenshot(page, 'sessions-desktop');

    // Too short to compact: the UI says so rather than claiming it did.
    await page.getByRole('button', { name: 'Compact' }).click();
    await page.getByRole('button', { name: 'Confirm compact' }).click();
    await expect.poll(() => mainText(page), { timeout: 15_000 }).toContain('Nothing to compact: too few messages');

    await page.getByRole('button', { name: 'Reset' }).click();
    await page.getByRole('button', { name: 'Confirm reset' }).click();
    await expect.poll(() => mainText(page), { timeout: 15_000 }).toContain('fresh transcript');
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Confirm delete' }).click();
    await expect.poll(async () => (await h.client.sessions.list({ search: 'alpha' })).sessions.length, { timeout: 15_000 }).toBe(0);
    await expect.poll(() => page.locator('tbody tr', { hasText: 'Renamed alpha' }).count()).toBe(0);
  }, 60_000);

  it('agents: create one and edit a workspace file', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'openclaw-ui-helper-'));
    await go('#/agents');
    const create = page.locator('details.card', { hasText: 'Add an agent' });
    if ((await create.getAttribute('open')) === null) await create.locator('summary').click();
    await create.locator('input[name="name"]').fill('Helper');
    await create.locator('input[name="workspace"]').fill(workspace);
    await create.getByRole('button', { name: 'Create agent' }).click();
    await expect.poll(() => page.url(), { timeout: 15_000 }).toContain('agent=helper');
    await page.getByRole('button', { name: 'AGENTS.md' }).click();
    await page.locator('#agent-file-content').fill('# Helper\n\nBe brief.\n');
    await page.getByRole('button', { name: 'Save file' }).click();
    await expect.poll(() => mainText(page), { timeout: 15_000 }).toContain('AGENTS.md saved');
    const file = await h.client.agents.files.get({ agentId: 'helper', name: 'AGENTS.md' });
    expect(file.file.content).toBe('# Helper\n\nBe brief.\n');
    await h.screenshot(page, 'agents-desktop');

    const card = page.locator('.card[aria-label="Agent helper"]');
    await card.locator('input[name="name"]').fill('Helper Two');
    await card.locator('input[name="emoji"]').fill('🦊');
    await card.getByRole('button', { name: 'Save agent' }).click();
    await expect.poll(async () => (await h.client.agents.list()).agents.find((a) => a.id === 'helper')?.name, { timeout: 15_000 }).toBe('Helper Two');
    await expect.poll(() => card.locator('h2').innerText(), { timeout: 15_000 }).toContain('🦊 Helper Two');
    await card.getByRole('button', { name: 'Delete agent' }).click();
    await card.getByRole('button', { name: 'Confirm: delete agent' }).click();
    await expect.poll(async () => (await h.client.agents.list()).agents.some((a) => a.id === 'helper'), { timeout: 15_000 }).toBe(false);
    await expect.poll(() => page.url()).not.toContain('agent=helper');
    // Without deleteFiles the workspace stays.
    expect(existsSync(join(workspace, 'AGENTS.md'))).toBe(true);
  }, 60_000);

  it('sessions: a long transcript is compacted into a summary by the model', async () => {
    for (let i = 0; i < 3; i++) {
      h.fake.enqueue({ text: `answer ${i}` });
      for await (const item of h.client.chat.stream({ sessionKey: 'agent:main:long', message: `question ${i}` })) if (item.state === 'final') break;
    }
    h.fake.enqueue({ text: 'Three questions were asked and answered.' });
    await go('#/sessions');
    await page.getByRole('searchbox', { name: 'Search sessions' }).fill('long');
    await page.getByRole('searchbox', { name: 'Search sessions' }).press('Enter');
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: 15_000 }).toBe(1);
    await page.locator('tbody tr button.row-link').click();
    await page.getByRole('button', { name: 'Compact' }).click();
    await page.getByRole('button', { name: 'Confirm compact' }).click();
    await expect.poll(() => mainText(page), { timeout: 15_000 }).toContain('Compacted: the older messages are now a summary');
    expect((await h.client.sessions.list({ search: 'long' })).sessions[0]?.compactionCheckpointCount).toBe(1);
  }, 60_000);

  it('sessions page past 25 rows; a node that connects appears live in Nodes and leaves when it closes', async () => {
    for (let i = 0; i < 27; i++) await h.client.sessions.spawn({ key: `agent:main:bulk-${String(i).padStart(2, '0')}`, label: `Bulk ${i}` });
    await go('#/sessions');
    await page.getByRole('searchbox', { name: 'Search sessions' }).fill('bulk');
    await page.getByRole('searchbox', { name: 'Search sessions' }).press('Enter');
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: 15_000 }).toBe(25);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: 15_000 }).toBe(2);
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    const second = await page.locator('tbody tr button.row-link').allInnerTexts();
    await page.getByRole('button', { name: 'Previous' }).click();
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: 15_000 }).toBe(25);
    const first = await page.locator('tbody tr button.row-link').allInnerTexts();
    expect(new Set([...first, ...second]).size).toBe(27);

    await go('#/nodes');
    const nodeRows = page.locator('.nodes-view tbody tr');
    expect(await nodeRows.count()).toBe(0);
    const node = await openReady(h.gw.url, h.gw.token, {
      role: 'node',
      scopes: [],
      client: { id: 'node-host', version: '2.1.0', platform: 'linux', mode: 'node', instanceId: 'kitchen-pi', displayName: 'Kitchen Pi' },
    });
    await expect.poll(() => nodeRows.innerText().catch(() => ''), { timeout: 15_000 }).toContain('kitchen-pi');
    expect(await nodeRows.innerText()).toContain('Kitchen Pi');
    expect(await nodeRows.innerText()).toContain('2.1.0');
    await h.screenshot(page, 'nodes-connected-desktop');
    node.socket.close();
    await expect.poll(() => nodeRows.count(), { timeout: 15_000 }).toBe(0);
  }, 60_000);

  it('approvals: allow always adds a standing rule, deny refuses, a rule is added and removed by hand', async () => {
    const workspace = (await h.client.agents.list()).agents.find((a) => a.id === 'main')!.workspace!;
    const turn = (message: string) =>
      (async () => {
        for await (const item of h.client.chat.stream({ sessionKey: 'agent:main:approvals', message })) if (item.state === 'final') break;
      })();
    await go('#/approvals');
    await expect.poll(() => mainText(page), { timeout: 15_000 }).toContain('Nothing is waiting');

    h.fake.enqueue({ toolCalls: [{ name: 'exec', arguments: { command: 'touch always-file' } }] }, { text: 'Touched.' });
    const first = turn('touch a file');
    const always = page.locator('.approval', { hasText: 'touch always-file' });
    await expect.poll(() => always.count(), { timeout: 20_000 }).toBe(1);
    await always.getByRole('button', { name: 'Allow always' }).click();
    await first;
    expect(existsSync(join(workspace, 'always-file'))).toBe(true);
    const touchRule = page.locator('tbody tr', { hasText: 'touch' });
    await expect.poll(() => touchRule.count(), { timeout: 15_000 }).toBe(1);
    expect(await touchRule.innerText()).toContain('allow');
    expect((await h.client.exec.approvals.overrides()).overrides.some((o) => o.pattern.endsWith('touch') && o.decision === 'allow')).toBe(true);

    h.fake.enqueue({ toolCalls: [{ name: 'exec', arguments: { command: 'mkdir denied-dir' } }] }, { text: 'Not allowed, then.' });
    const second = turn('make a folder');
    const denied = page.locator('.approval', { hasText: 'mkdir denied-dir' });
    await expect.poll(() => denied.count(), { timeout: 20_000 }).toBe(1);
    await h.screenshot(page, 'approvals-rules-desktop');
    await denied.getByRole('button', { name: 'Deny' }).click();
    await second;
    expect(existsSync(join(workspace, 'denied-dir'))).toBe(false);
    await expect.poll(() => page.locator('.plain-list li', { hasText: 'mkdir denied-dir' }).innerText(), { timeout: 15_000 }).toContain('deny');

    const add = page.getByRole('form', { name: 'Add a rule' });
    await add.locator('input[name="pattern"]').fill('git');
    await add.locator('input[name="argPattern"]').fill('push *');
    await add.locator('select[name="decision"]').selectOption('deny');
    await add.getByRole('button', { name: 'Add rule' }).click();
    const gitRule = page.locator('tbody tr', { hasText: 'push *' });
    await expect.poll(() => gitRule.count(), { timeout: 15_000 }).toBe(1);
    expect((await h.client.exec.approvals.overrides()).overrides).toContainEqual({ pattern: 'git', argPattern: 'push *', decision: 'deny' });
    await gitRule.getByRole('button', { name: 'Remove' }).click();
    await gitRule.getByRole('button', { name: 'Confirm remove' }).click();
    await expect.poll(async () => (await h.client.exec.approvals.overrides()).overrides.some((o) => o.pattern === 'git'), { timeout: 15_000 }).toBe(false);
    await expect.poll(() => gitRule.count()).toBe(0);
  }, 90_000);

  it('cron: adds a job with its next run, edits its schedule, runs it now and shows the run', async () => {
    await go('#/cron');
    await expect.poll(() => mainText(page), { timeout: 15_000 }).toContain('Scheduler running');
    await page.getByRole('button', { name: 'New job' }).click();
    await page.locator('form input[name="name"]').fill('Morning digest');
    await page.locator('form input[name="everyMinutes"]').fill('90');
    await page.locator('form textarea[name="message"]').fill('Summarise the inbox.');
    await page.getByRole('button', { name: 'Add job' }).click();
    const row = (name: string) => page.locator('tbody tr', { hasText: name });
    await expect.poll(() => row('Morning digest').count(), { timeout: 15_000 }).toBe(1);
    const added = (await h.client.cron.list({})).jobs.find((j) => j.name === 'Morning digest');
    expect(added?.schedule).toMatchObject({ kind: 'every', everyMs: 90 * 60_000 });
    expect(added?.payload).toMatchObject({ kind: 'agentTurn', message: 'Summarise the inbox.' });
    expect(await row('Morning digest').innerText()).toContain('every 90 min');
    await expect.poll(() => row('Morning digest').locator('td').nth(2).innerText(), { timeout: 15_000 }).not.toBe('—');

    await row('Morning digest').getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Edit Morning digest' });
    await form.locator('input[name="name"]').fill('Weekday digest');
    await form.getByLabel('Cron expression').check();
    await form.locator('input[name="expr"]').fill('0 9 * * 1-5');
    await form.locator('input[name="tz"]').fill('UTC');
    await form.getByRole('button', { name: 'Save job' }).click();
    await expect.poll(async () => (await h.client.cron.list({})).jobs.find((j) => j.id === added!.id)?.schedule, { timeout: 15_000 }).toEqual({ kind: 'cron', expr: '0 9 * * 1-5', tz: 'UTC' });
    await expect.poll(() => row('Weekday digest').innerText().catch(() => ''), { timeout: 15_000 }).toContain('cron 0 9 * * 1-5 (UTC)');
    expect((await h.client.cron.list({})).jobs.find((j) => j.id === added!.id)?.name).toBe('Weekday digest');

    h.fake.enqueue({ text: 'Inbox summarised.' });
    await row('Weekday digest').getByRole('button', { name: 'Run now' }).click();
    await expect.poll(() => mainText(page), { timeout: 15_000 }).toContain('"Weekday digest" started');
    // The run finishes on the gateway; its entry arrives in the history through the cron event.
    const history = page.locator('.plain-list li', { hasText: 'Weekday digest' });
    await expect.poll(() => history.innerText().catch(() => ''), { timeout: 30_000 }).toContain('ok');
    const runs = await h.client.cron.runs({ scope: 'job', id: added!.id });
    expect(runs.entries[0]?.status).toBe('ok');
    await expect.poll(() => row('Weekday digest').innerText(), { timeout: 15_000 }).toMatch(/ago|now/);
    await h.screenshot(page, 'cron-desktop');
  }, 90_000);

  it('logs: tails the gateway log live and filters by level', async () => {
    await go('#/logs');
    await expect.poll(() => page.locator('.log-line', { hasText: 'client connected' }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    // A new line arrives while the view is open.
    await h.client.chat.inject({ sessionKey: 'agent:main:beta', message: 'ping' });
    h.gw.gateway!.runtime.logger.warn('control ui test warning', { marker: 'ui-logs' });
    await expect.poll(() => page.locator('.log-line', { hasText: 'control ui test warning' }).count(), { timeout: 15_000 }).toBe(1);
    await page.getByLabel('Minimum level').selectOption('40');
    expect(await page.locator('.log-line', { hasText: 'client connected' }).count()).toBe(0);
    expect(await page.locator('.log-line[data-level="warn"]', { hasText: 'control ui test warning' }).count()).toBe(1);
    await h.screenshot(page, 'logs-warn-desktop');
    await page.getByLabel('Minimum level').selectOption('30');
  }, 60_000);

  it('usage: shows the tokens and cost of recorded runs as a chart', async () => {
    for await (const item of h.client.chat.stream({ sessionKey: 'agent:main:usage', message: 'count my tokens' })) if (item.state === 'final') break;
    await go('#/usage?days=7');
    await expect.poll(() => page.locator('.chart rect.bar').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.locator('.stat', { hasText: 'Cost' }).innerText()).toMatch(/\$\d/);
  }, 60_000);

  it('every view renders at 1280 px and at 390 px without overflowing or console errors', async () => {
    const phone = await h.open('/', { token: true, viewport: PHONE });
    for (const [target, size, label] of [
      [page, DESKTOP, 'desktop'],
      [phone, PHONE, 'phone'],
    ] as const) {
      for (const view of VIEWS) {
        await target.evaluate((hash) => (location.hash = hash), `#/${view}`);
        await expect.poll(() => target.locator(`main .${view}-view`).count(), { timeout: 15_000 }).toBe(1);
        await expect.poll(() => target.locator('main').innerText().then((t) => !t.includes('Loading…')), { timeout: 15_000 }).toBe(true);
        expect(await target.locator('main .banner.error').count(), `${view} at ${label}`).toBe(0);
        if (label === 'phone') expect(await target.evaluate(() => document.documentElement.scrollWidth), view).toBeLessThanOrEqual(size.width);
        // Keyboard and screen-reader use: every control has a name (label, aria-label or text).
        expect(await target.evaluate(unnamedControls), `${view} at ${label}`).toEqual([]);
        await h.screenshot(target, `${view}-${label}`);
      }
    }
    expect(h.consoleErrors).toEqual([]);
  }, 120_000);

  it('a page on a non-secure origin (listed in allowedOrigins) connects; an unlisted origin and device identity refusals are explained', async () => {
    const port = new URL(h.gw.httpUrl).port;
    const origin = `http://${INSECURE_HOST}:${port}`;
    const current = await h.client.config.get();
    await h.client.config.patch({ raw: JSON.stringify({ gateway: { controlUi: { allowedOrigins: [origin] } } }), baseHash: current.hash });
    const insecure = await h.open('/', { token: true, origin });
    expect(await insecure.evaluate(() => isSecureContext)).toBe(false);

    // A page on an origin the gateway does not list is refused by the gateway's origin check itself.
    const stranger = await insecure.context().newPage();
    await stranger.goto(`http://${STRANGER_HOST}:${port}/#token=${encodeURIComponent(h.gw.token)}`);
    await expect.poll(() => mainText(stranger), { timeout: 15_000 }).toContain('gateway.controlUi.allowedOrigins');
    expect(await mainText(stranger)).toContain('CONTROL_UI_ORIGIN_NOT_ALLOWED');
    expect(await mainText(stranger)).toContain(`http://127.0.0.1:${port}/`);
    await h.screenshot(stranger, 'refused-origin-not-allowed');
    await stranger.close();

    // No gateway here asks for device identity, so the refusal an upstream gateway sends is played
    // back on this page's socket: the UI must say why and what to do.
    const refused = await insecure.context().newPage();
    await refused.routeWebSocket(/\/ws$/, (ws) => {
      ws.send(JSON.stringify({ type: 'event', event: 'connect.challenge', payload: { nonce: 'n', ts: Date.now() } }));
      ws.onMessage((message) => {
        const frame = JSON.parse(String(message)) as { id: string; method: string };
        if (frame.method !== 'connect') return;
        ws.send(JSON.stringify({ type: 'res', id: frame.id, ok: false, error: { code: 'INVALID_REQUEST', message: 'refused', details: { code: 'CONTROL_UI_DEVICE_IDENTITY_REQUIRED' } } }));
        ws.close({ code: 1008, reason: 'refused' });
      });
    });
    await refused.goto(`${origin}/#token=${encodeURIComponent(h.gw.token)}`);
    await expect.poll(() => mainText(refused), { timeout: 15_000 }).toContain('secure origin');
    expect(await mainText(refused)).toContain('CONTROL_UI_DEVICE_IDENTITY_REQUIRED');
    await h.screenshot(refused, 'refused-control_ui_device_identity_required');
    await refused.close();
  }, 60_000);
});

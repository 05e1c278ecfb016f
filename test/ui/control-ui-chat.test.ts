// The Control UI in a real Chromium against a real gateway (fake model): logging in by form and by
// the banner's #token= link, a wrong token, chat with streaming Markdown (sanitized), Shift+Enter,
// attachments, history paging, a new session, abort, an exec approval raised by the agent and
// decided in a second tab, and the "reconnecting…" state when the gateway goes away.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, mainText, startControlUiHarness, type ControlUiHarness } from '../helpers/control-ui-harness.js';

const PNG_1PX = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

describe('Control UI: login, chat, abort, approvals', () => {
  let h: ControlUiHarness;
  let page: Page;

  beforeAll(async () => {
    h = await startControlUiHarness();
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  const composer = (p: Page) => p.getByRole('textbox', { name: 'Message' });
  const lastUserText = (): string => {
    const messages = h.fake.requests.at(-1)?.body.messages ?? [];
    const user = [...messages].reverse().find((m) => m.role === 'user');
    return typeof user?.content === 'string' ? user.content : JSON.stringify(user?.content);
  };

  it('serves the page with a strict CSP and shows the login form; a wrong token is refused with a clear message', async () => {
    const res = await fetch(`${h.gw.httpUrl}/`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    page = await h.open('/');
    await expect.poll(() => page.getByRole('heading', { name: 'Connect to the gateway' }).count()).toBe(1);
    await h.screenshot(page, 'login-desktop');
    await page.getByLabel('Gateway token').fill('not-the-token');
    await page.keyboard.press('Enter');
    await expect.poll(() => mainText(page), { timeout: 15_000 }).toContain('Wrong token');
    expect(await mainText(page)).toContain('refused this token');
    await page.getByLabel('Gateway token').fill(h.gw.token);
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => page.locator('.status.ok').count(), { timeout: 15_000 }).toBe(1);
    // Remembered for the tab: a reload logs in again without the form.
    await page.reload();
    await expect.poll(() => page.locator('.status.ok').count(), { timeout: 15_000 }).toBe(1);
  }, 60_000);

  it('logs in from a #token= link and removes the token from the address bar', async () => {
    const linked = await h.open('/', { token: true });
    expect(linked.url()).not.toContain('token');
    expect(linked.url()).not.toContain(h.gw.token);
    expect(await linked.evaluate(() => sessionStorage.length)).toBe(1);
    await linked.context().close();
  });

  it('streams a reply as sanitized Markdown; Enter sends, Shift+Enter adds a line', async () => {
    h.fake.enqueue({
      chunks: ['Here is **bold**', ' and `code`.', '\n\n- one\n- two\n\n', '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>', ' Done.'],
      chunkDelayMs: 150,
    });
    await composer(page).click();
    await page.keyboard.type('line one');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('line two');
    await page.keyboard.press('Enter');
    // While it streams, the live turn holds the text so far.
    await expect.poll(() => page.locator('.msg.live[data-state="streaming"]').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.locator('.msg-assistant strong', { hasText: 'bold' }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.msg-assistant:not(.live)', { hasText: 'Done.' }).count(), { timeout: 15_000 }).toBe(1);
    expect(lastUserText()).toBe('line one\nline two');
    const reply = page.locator('.msg-assistant:not(.live)').last();
    expect(await reply.locator('code').innerText()).toBe('code');
    expect(await reply.locator('li').count()).toBe(2);
    expect(await reply.locator('script, [onerror]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await h.screenshot(page, 'chat-desktop');
  }, 60_000);

  it('sends an attachment with the message', async () => {
    h.fake.enqueue({ text: 'I see a dot.' });
    await page.locator('input[type=file]').setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: PNG_1PX });
    await expect.poll(() => page.locator('.chip', { hasText: 'dot.png' }).count()).toBe(1);
    await composer(page).fill('what is in the picture?');
    await composer(page).press('Enter');
    await expect.poll(() => page.locator('.msg-assistant:not(.live)', { hasText: 'I see a dot.' }).count(), { timeout: 15_000 }).toBe(1);
    const history = await h.client.chat.history({ sessionKey: 'agent:main:main', limit: 20 });
    const turn = history.messages.find((m) => Array.isArray(m.content) && m.content.some((b) => b.type === 'image'));
    expect(turn).toBeDefined();
    expect(await page.locator('.chip').count()).toBe(0);
  }, 60_000);

  it('pages back through a long history and starts a new session', async () => {
    await h.client.sessions.spawn({ key: 'agent:main:paging' });
    for (let i = 0; i < 60; i++) await h.client.chat.inject({ sessionKey: 'agent:main:paging', message: `note ${i}` });
    await page.evaluate(() => (location.hash = '#/chat?session=agent%3Amain%3Apaging'));
    await expect.poll(() => page.locator('.msg', { hasText: 'note 59' }).count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('.md', { hasText: /^\s*note 0\s*$/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Load older messages' }).click();
    await expect.poll(() => page.locator('.md', { hasText: /^\s*note 0\s*$/ }).count(), { timeout: 15_000 }).toBe(1);

    await page.getByRole('button', { name: 'New session' }).click();
    // The URL already names a session: wait for it to name a different one.
    await expect.poll(() => decodeURIComponent(page.url()), { timeout: 15_000 }).toMatch(/session=agent:main:(?!paging$)/);
    await expect.poll(() => mainText(page)).toContain('No messages yet');
  }, 60_000);

  it('aborts a streaming reply with Stop', async () => {
    h.fake.enqueue({ text: Array.from({ length: 80 }, (_, i) => `word${i}`).join(' '), chunkDelayMs: 200 });
    await composer(page).fill('tell me a long story');
    await composer(page).press('Enter');
    await expect.poll(() => page.locator('.msg.live[data-state="streaming"]').count(), { timeout: 15_000 }).toBe(1);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.locator('.msg.live[data-state="aborted"]').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByRole('button', { name: 'Send' }).count()).toBe(1);
    await expect.poll(() => h.fake.requests.at(-1)?.clientClosed, { timeout: 15_000 }).toBe(true);
  }, 60_000);

  it('an exec the agent asks for appears live in Approvals (another tab) and runs once allowed', async () => {
    const approvals = await h.open('/#/approvals', { token: true });
    await expect.poll(() => mainText(approvals)).toContain('Nothing is waiting');
    h.fake.enqueue({ toolCalls: [{ name: 'exec', arguments: { command: 'mkdir ui-approved-dir' } }] }, { text: 'The folder is there.' });
    await composer(page).fill('make a folder');
    await composer(page).press('Enter');
    // The chat shows the step waiting; the other tab gets exec.approval.requested.
    await expect.poll(() => page.locator('.tool-step[data-status="awaiting"]').count(), { timeout: 20_000 }).toBe(1);
    const card = approvals.locator('.approval', { hasText: 'mkdir ui-approved-dir' });
    await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.locator('.badge[aria-label="1 pending"]').count(), { timeout: 15_000 }).toBe(1);
    await h.screenshot(approvals, 'approvals-pending-desktop');
    await card.getByRole('button', { name: 'Allow once' }).click();
    await expect.poll(() => approvals.locator('.approval').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => page.locator('.msg-assistant:not(.live)', { hasText: 'The folder is there.' }).count(), { timeout: 20_000 }).toBe(1);
    const agents = await h.client.agents.list();
    const workspace = agents.agents.find((a) => a.id === 'main')!.workspace!;
    expect(existsSync(join(workspace, 'ui-approved-dir'))).toBe(true);
    // The finished turn keeps its tool call folded in, with the result.
    const step = page.locator('.msg-assistant .tool-step', { hasText: 'exec' }).last();
    await step.locator('summary').click();
    expect(await step.innerText()).toContain('mkdir ui-approved-dir');
    await expect.poll(() => page.locator('.badge[aria-label="1 pending"]').count()).toBe(0);
    await approvals.context().close();
  }, 90_000);

  it('chats with another agent picked in the bar, in that agent\'s own session', async () => {
    await h.client.agents.create({ name: 'Scribe', workspace: mkdtempSync(join(tmpdir(), 'openclaw-ui-scribe-')) });
    await page.evaluate(() => (location.hash = '#/chat'));
    await expect.poll(() => page.getByLabel('Agent', { exact: true }).locator('option').allInnerTexts(), { timeout: 15_000 }).toContainEqual(expect.stringContaining('Scribe'));
    await page.getByLabel('Agent', { exact: true }).selectOption('scribe');
    await expect.poll(() => decodeURIComponent(page.url()), { timeout: 15_000 }).toContain('session=agent:scribe:main');
    h.fake.enqueue({ text: 'Noted by the scribe.' });
    await composer(page).fill('take a note');
    await composer(page).press('Enter');
    await expect.poll(() => page.locator('.msg-assistant:not(.live)', { hasText: 'Noted by the scribe.' }).count(), { timeout: 20_000 }).toBe(1);
    const history = await h.client.chat.history({ sessionKey: 'agent:scribe:main', limit: 10 });
    expect(JSON.stringify(history.messages)).toContain('take a note');
    await page.getByLabel('Agent', { exact: true }).selectOption('main');
    await expect.poll(() => decodeURIComponent(page.url()), { timeout: 15_000 }).toContain('session=agent:main:main');
  }, 60_000);

  it('works at 390 px: the menu opens by keyboard and the chat fits the screen', async () => {
    const phone = await h.open('/#/chat', { token: true, viewport: PHONE });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    const menu = phone.getByRole('button', { name: 'Menu' });
    await menu.focus();
    await phone.keyboard.press('Enter');
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await h.screenshot(phone, 'nav-phone');
    await phone.getByRole('link', { name: 'Sessions' }).focus();
    await phone.keyboard.press('Enter');
    await expect.poll(() => phone.url()).toContain('#/sessions');
    await phone.evaluate(() => (location.hash = '#/chat'));
    await expect.poll(() => phone.locator('.msg').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await h.screenshot(phone, 'chat-phone');
    await phone.context().close();
  }, 60_000);

  it('no console errors so far; then a lost gateway shows "reconnecting…"', async () => {
    expect(h.consoleErrors).toEqual([]);
    await page.setViewportSize(DESKTOP);
    await h.gw.gateway!.stop();
    await expect.poll(() => page.locator('.status.warn').innerText().catch(() => ''), { timeout: 20_000 }).toContain('reconnecting');
    await h.screenshot(page, 'reconnecting-desktop');
  }, 60_000);
});

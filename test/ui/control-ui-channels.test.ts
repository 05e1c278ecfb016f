// The Control UI's Channels and Skills views in a real Chromium against a gateway with a real IRC
// account (ngircd on a loopback port): the account's live state, stop and start, an unknown sender's
// pairing request approved from the page; a skill disabled and enabled again; and a view whose
// methods the gateway answers NOT_IMPLEMENTED shows what the gateway said instead of breaking.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mainText, startControlUiHarness, type ControlUiHarness } from '../helpers/control-ui-harness.js';
import { IrcTestClient } from '../helpers/irc-test-client.js';
import { startNgircd, type NgircdServer } from '../helpers/ngircd-server.js';

describe('Control UI: channels, skills, a subsystem the gateway lacks', () => {
  let irc: NgircdServer;
  let h: ControlUiHarness;
  let page: Page;
  const ircAccount = async () => (await h.client.channels.status({})).channelAccounts.irc?.[0];

  beforeAll(async () => {
    irc = await startNgircd();
    h = await startControlUiHarness({
      channels: { irc: { host: '127.0.0.1', port: irc.port, tls: false, nick: 'uibot', dmPolicy: 'pairing' } },
    });
    page = await h.open('/#/channels', { token: true });
  }, 120_000);

  afterAll(async () => {
    await h?.close();
    await irc?.close();
  });

  it('shows the IRC account live, stops and starts it, and approves a pairing request', async () => {
    const card = page.locator('[data-account="irc/default"]');
    await expect.poll(() => card.locator('.badge').innerText().catch(() => ''), { timeout: 30_000 }).toBe('connected');
    // WebChat is the gateway itself: it counts this page, and offers nothing to stop.
    const webchat = page.locator('[data-account="webchat/default"]');
    expect(await webchat.innerText()).toContain('Connections');
    expect(await webchat.getByRole('button', { name: 'Stop' }).count()).toBe(0);

    await card.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => card.locator('.badge').innerText(), { timeout: 15_000 }).toBe('stopped');
    expect((await ircAccount())?.running).toBe(false);
    await card.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => card.locator('.badge').innerText(), { timeout: 30_000 }).toBe('connected');

    const bob = await IrcTestClient.connect(irc.port, 'bob');
    try {
      bob.privmsg('uibot', 'let me in');
      const notice = await bob.message('uibot');
      const code = /pairing code is ([A-Z2-9]{8})/.exec(notice.params[1] ?? '')?.[1];
      expect(code).toBeDefined();
      const request = page.locator('.card', { hasText: code! });
      await expect.poll(() => request.count(), { timeout: 15_000 }).toBe(1);
      expect(await request.innerText()).toContain('bob!~bob@127.0.0.1');
      await h.screenshot(page, 'channels-pairing-desktop');
      await request.getByRole('button', { name: 'Approve' }).click();
      await expect.poll(() => mainText(page), { timeout: 15_000 }).toContain(`Approved pairing code ${code} on irc`);
      expect((await bob.message('uibot')).params[1]).toMatch(/approved/);
      expect((await ircAccount())?.allowFrom).toContain('bob!~bob@127.0.0.1');
      await expect.poll(() => request.count()).toBe(0);
    } finally {
      bob.close();
    }
  }, 90_000);

  it('disables a skill and enables it again', async () => {
    await page.evaluate(() => (location.hash = '#/skills'));
    const weather = page.locator('[data-skill="weather"]');
    await expect.poll(() => weather.count(), { timeout: 15_000 }).toBe(1);
    const skill = async () => (await h.client.skills.status({})).skills.find((s) => s.skillKey === 'weather');
    expect((await skill())?.disabled).toBe(false);
    await weather.getByRole('button', { name: 'Disable' }).click();
    await expect.poll(() => weather.locator('.badge').innerText(), { timeout: 15_000 }).toBe('disabled');
    expect((await skill())?.disabled).toBe(true);
    await weather.getByRole('button', { name: 'Enable' }).click();
    await expect.poll(async () => (await skill())?.disabled, { timeout: 15_000 }).toBe(false);
    await expect.poll(() => weather.getByRole('button', { name: 'Disable' }).count()).toBe(1);
  }, 60_000);

  it('a view whose methods answer NOT_IMPLEMENTED says what the gateway answered', async () => {
    // The page's socket goes to the real gateway; only cron.* requests are answered in between,
    // the way a gateway without cron answers them.
    const lacking = await page.context().newPage();
    await lacking.routeWebSocket(/\/ws$/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        const frame = JSON.parse(String(message)) as { type?: string; id?: string; method?: string };
        if (frame.type === 'req' && frame.method?.startsWith('cron.')) {
          const error = { code: 'UNAVAILABLE', message: `${frame.method} is not implemented on this gateway`, details: { code: 'NOT_IMPLEMENTED', method: frame.method } };
          ws.send(JSON.stringify({ type: 'res', id: frame.id, ok: false, error }));
          return;
        }
        server.send(message);
      });
    });
    await lacking.goto(`${h.gw.httpUrl}/#token=${encodeURIComponent(h.gw.token)}`);
    await lacking.waitForSelector('.status.ok', { timeout: 20_000 });
    await lacking.evaluate(() => (location.hash = '#/cron'));
    await expect.poll(() => mainText(lacking), { timeout: 20_000 }).toContain('Cron is not available on this gateway');
    expect(await mainText(lacking)).toContain('cron.status is not implemented on this gateway');
    expect(await lacking.locator('main .banner.error').count()).toBe(0);
    await h.screenshot(lacking, 'cron-not-implemented-desktop');
    await lacking.close();
    expect(h.consoleErrors).toEqual([]);
  }, 60_000);
});

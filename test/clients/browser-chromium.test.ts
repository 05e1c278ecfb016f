// BrowserGatewayClient in real headless Chromium, bundled with esbuild here, on a page served by
// the gateway itself, talking through the gateway's GatewayProxy at /api/gateway/ws.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumLaunchArgs, findChromium } from '../../server/browser/chromium-executable.js';
import { makeStateDir, startCli, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';

const chromiumPath = (): string => {
  const found = findChromium();
  if (!found.found) throw new Error(found.error);
  return found.path;
};

async function bundleForPage(contents: string, globalName: string): Promise<string> {
  const root = resolve(import.meta.dirname, '../..');
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'iife',
    globalName,
    // `ws` is only imported under Node; the page uses its native WebSocket.
    external: ['ws'],
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0]!.text;
}

/** What the page sees of the bundle (declared for page.evaluate callbacks). */
declare const OpenClaw: typeof import('../../clients/browser-gateway-client.js') & typeof import('../../clients/browser-chat-stream.js');
declare const OpenClawFull: typeof import('../../clients/openclaw-client.js');
declare const window: Record<string, unknown>;

describe('BrowserGatewayClient in headless Chromium through GatewayProxy', () => {
  let gw: RunningGateway;
  let port: string;
  let bundle: string;
  let fullBundle: string;
  let context: BrowserContext;
  let profile: string;
  let otherOrigin: Server;
  const frames: string[] = [];

  const openPage = async (url: string): Promise<Page> => {
    const page = await context.newPage();
    page.on('websocket', (ws) => {
      ws.on('framereceived', (f) => frames.push(String(f.payload)));
      ws.on('framesent', (f) => frames.push(String(f.payload)));
    });
    await page.goto(url);
    await page.addScriptTag({ content: bundle });
    return page;
  };

  beforeAll(async () => {
    [gw, bundle, fullBundle] = await Promise.all([
      startCli(),
      bundleForPage(
        "export { BrowserGatewayClient, getBrowserGatewayClient } from './clients/browser-gateway-client.ts';\nexport { streamBrowserChat } from './clients/browser-chat-stream.ts';",
        'OpenClaw',
      ),
      bundleForPage("export { OpenClawClient } from './clients/openclaw-client.ts';", 'OpenClawFull'),
    ]);
    port = new URL(gw.url).port;
    profile = mkdtempSync(join(tmpdir(), 'openclaw-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath(), headless: true, args: chromiumLaunchArgs({ noSandbox: true, gpu: false }), bypassCSP: true });
    otherOrigin = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'));
    await new Promise<void>((r) => otherOrigin.listen(0, '127.0.0.1', r));
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    otherOrigin?.close();
    await gw?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('connects with the page origin, gets capped scopes and typed errors, and never sees the token', async () => {
    const page = await openPage(`${gw.httpUrl}/`);
    const result = await page.evaluate(async () => {
      const client = OpenClaw.getBrowserGatewayClient({ reconnectMinMs: 100, reconnectMaxMs: 1000 });
      const hello = await client.connect();
      let error: Record<string, unknown> | undefined;
      try {
        await client.chat.inject({ sessionKey: 'main', message: 'hi' });
      } catch (e) {
        const g = e as { name: string; kind: string; code: string; detailCode?: string };
        error = { name: g.name, kind: g.kind, code: g.code, detailCode: g.detailCode };
      }
      return { protocol: hello.protocol, scopes: hello.auth.scopes, error };
    });
    expect(result.protocol).toBe(4);
    expect([...result.scopes].sort()).toEqual(['operator.read', 'operator.write']);
    expect(result.error).toEqual({ name: 'GatewayError', kind: 'gateway', code: 'FORBIDDEN', detailCode: 'MISSING_SCOPE' });
    expect(frames.length).toBeGreaterThan(2);
    expect(frames.join('\n')).not.toContain(gw.token);
  });

  it('holds a call made while the gateway restarts and sends it after the new hello-ok', async () => {
    const page = await openPage(`${gw.httpUrl}/`);
    await page.evaluate(async () => {
      const client = new OpenClaw.BrowserGatewayClient({ reconnectMinMs: 100, reconnectMaxMs: 1000 });
      window.client = client;
      const events: string[] = [];
      window.events = events;
      client.on('closed', (e) => events.push(`closed:${e.code}`));
      client.on('ready', (e) => events.push(`ready:${e.reconnected}`));
      await client.connect();
    });
    await gw.stop();
    await page.waitForFunction(() => (window.events as string[]).some((e) => e.startsWith('closed:')));
    await page.evaluate(() => {
      const client = window.client as InstanceType<typeof OpenClaw.BrowserGatewayClient>;
      window.pending = client.chat.history({ sessionKey: 'main' }).then(
        () => 'answered',
        (e: { kind: string }) => e.kind,
      );
    });
    gw = await startCli(TEST_CONFIG, makeStateDir(), ['--port', port]);
    const outcome = await page.evaluate(() => window.pending as Promise<string>);
    expect(['answered', 'gateway']).toContain(outcome);
    const events = (await page.evaluate(() => window.events)) as string[];
    expect(events).toContain('ready:true');
    expect(events.find((e) => e.startsWith('closed:'))).not.toBe('closed:1006');
  }, 60_000);

  it('a page on another origin is refused by the proxy', async () => {
    const page = await openPage(`http://127.0.0.1:${(otherOrigin.address() as AddressInfo).port}/`);
    const outcome = await page.evaluate(
      (url) =>
        new Promise<string>((done) => {
          const ws = new WebSocket(url);
          ws.onopen = () => done('open');
          ws.onclose = (e) => done(`closed:${e.code}`);
        }),
      `ws://127.0.0.1:${port}/api/gateway/ws`,
    );
    expect(outcome).toBe('closed:1006');
  });

  it('the full OpenClawClient runs in the page too (native WebSocket, reconnecting-websocket)', async () => {
    const page = await context.newPage();
    await page.goto(`${gw.httpUrl}/`);
    await page.addScriptTag({ content: fullBundle });
    const result = await page.evaluate(
      async ({ url, token }) => {
        const client = new OpenClawFull.OpenClawClient({ url, token, scopes: ['operator.read', 'operator.write'] });
        const hello = await client.connect();
        const health = await client.health();
        const states: string[] = [];
        for await (const item of client.chat.stream({ sessionKey: 'agent:main:full-in-page', message: 'Say hello.' })) states.push(item.state);
        client.close();
        return { protocol: hello.protocol, healthOk: health.ok, last: states.at(-1) };
      },
      { url: gw.url, token: gw.token },
    );
    expect(result).toMatchObject({ protocol: 4, healthOk: true, last: 'final' });
  }, 60_000);

  it('streams a chat reply with the streaming helper', async (ctx) => {
    const page = await openPage(`${gw.httpUrl}/`);
    const hasChat = await page.evaluate(async () => {
      const client = new OpenClaw.BrowserGatewayClient();
      window.client = client;
      await client.connect();
      return client.hasMethod('chat.send');
    });
    // Needs a gateway that runs chat (the offline provider answers without configuration).
    if (!hasChat) ctx.skip();
    const items = await page.evaluate(async () => {
      const client = window.client as InstanceType<typeof OpenClaw.BrowserGatewayClient>;
      const states: string[] = [];
      for await (const item of OpenClaw.streamBrowserChat(client, { sessionKey: 'agent:main:browser', message: 'Say hello.' })) states.push(item.state);
      return states;
    });
    expect(items.at(-1)).toBe('final');
  }, 60_000);
});

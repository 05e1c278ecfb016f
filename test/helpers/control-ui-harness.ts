// What the Control UI browser tests share: the UI built by the real build script into a temp
// folder (served through gateway.controlUi.root, so a test never sees a stale dist/), a gateway on a
// loopback port whose model is the fake OpenAI server, one headless Chromium (the system one, via
// findChromium), console errors collected from every page, and screenshots in test/artifacts.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { OpenClawClient } from '../../clients/openclaw-client.js';
import { chromiumLaunchArgs, findChromium } from '../../server/browser/chromium-executable.js';
import { buildControlUi } from '../../scripts/build-ui.mjs';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from './fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from './gateway-targets.js';

export const ARTIFACTS_DIR = resolve(import.meta.dirname, '../artifacts/control-ui');
/** A host name Chromium maps to 127.0.0.1: a page there is not a secure context. */
export const INSECURE_HOST = 'control-ui.test';
/** Another such host, which no test lists in gateway.controlUi.allowedOrigins. */
export const STRANGER_HOST = 'stranger.test';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export interface ControlUiHarness {
  readonly gw: RunningGateway;
  readonly fake: FakeOpenAiServer;
  readonly browser: Browser;
  /** Console errors and uncaught page errors of every page opened so far. */
  readonly consoleErrors: string[];
  /** A Node client on the same gateway, for setting things up and checking results. */
  readonly client: OpenClawClient;
  /** A new tab (its own context, so its own sessionStorage); `token` logs it in through `#token=`. */
  open(path?: string, options?: { token?: boolean; viewport?: { width: number; height: number }; origin?: string }): Promise<Page>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/** `extra` is merged into the gateway's config at the top level (its `gateway` into the test's). */
export async function startControlUiHarness(extra: { gateway?: Record<string, unknown>; [key: string]: unknown } = {}): Promise<ControlUiHarness> {
  const { gateway: extraGateway, ...extraConfig } = extra;
  const uiRoot = mkdtempSync(join(tmpdir(), 'openclaw-control-ui-'));
  const found = findChromium();
  if (!found.found) throw new Error(found.error);
  const [fake] = await Promise.all([startFakeOpenAi(), buildControlUi({ outDir: uiRoot })]);
  const config = {
    ...fakeProviderConfig(fake.baseUrl, { cost: { input: 2, output: 8 } }),
    ...extraConfig,
    gateway: { ...TEST_CONFIG.gateway, controlUi: { root: uiRoot }, ...extraGateway },
  };
  const gw = await startInProcess(config);
  const browser = await chromium.launch({
    executablePath: found.path,
    headless: true,
    args: chromiumLaunchArgs({ noSandbox: true, gpu: false, extra: [`--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1, MAP ${STRANGER_HOST} 127.0.0.1`] }),
  });
  const client = new OpenClawClient({ url: gw.url, token: gw.token });
  await client.connect();
  const consoleErrors: string[] = [];
  const contexts: BrowserContext[] = [];
  mkdirSync(ARTIFACTS_DIR, { recursive: true });

  return {
    gw,
    fake,
    browser,
    client,
    consoleErrors,
    async open(path = '/', options = {}) {
      const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP });
      contexts.push(context);
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
      const base = options.origin ?? gw.httpUrl;
      const [route, query] = path.split('#');
      const fragment = options.token ? `#token=${encodeURIComponent(gw.token)}` : query !== undefined ? `#${query}` : '';
      await page.goto(`${base}${route || '/'}${fragment}`);
      if (options.token) {
        await page.waitForSelector('.status.ok', { timeout: 20_000 });
        if (query) await page.evaluate((h) => (location.hash = h), `#${query}`);
      }
      return page;
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: false });
    },
    async close() {
      client.close();
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      await gw.stop();
      await fake.close();
      rmSync(uiRoot, { recursive: true, force: true });
    },
  };
}

/** The page's text in the view's main area, for assertions that read what the operator reads. */
export async function mainText(page: Page): Promise<string> {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
}

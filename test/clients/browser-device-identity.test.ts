// OpenClawClient in real headless Chromium with a WebCrypto Ed25519 device identity kept in
// IndexedDB: the first connect (with the gateway token) pairs the page's device and stores its
// device token; a later client on the same page connects with that token alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumLaunchArgs, findChromium } from '../../server/browser/chromium-executable.js';
import { startCli, type RunningGateway } from '../helpers/gateway-targets.js';

declare const OpenClawDevice: typeof import('../../clients/openclaw-client.js') & typeof import('../../clients/browser-device-identity.js');

describe('OpenClawClient with a browser device identity (Chromium)', () => {
  let gw: RunningGateway;
  let context: BrowserContext;
  let profile: string;
  let bundle: string;

  beforeAll(async () => {
    const found = findChromium();
    if (!found.found) throw new Error(found.error);
    gw = await startCli();
    const built = await build({
      stdin: {
        contents: "export { OpenClawClient } from './clients/openclaw-client.ts';\nexport { loadBrowserDeviceIdentity, indexedDbDeviceTokenStore } from './clients/browser-device-identity.ts';",
        resolveDir: resolve(import.meta.dirname, '../..'),
        loader: 'ts',
      },
      bundle: true,
      format: 'iife',
      globalName: 'OpenClawDevice',
      external: ['ws'],
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'warning',
    });
    bundle = built.outputFiles[0]!.text;
    profile = mkdtempSync(join(tmpdir(), 'openclaw-chromium-device-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: found.path, headless: true, args: chromiumLaunchArgs({ noSandbox: true, gpu: false }), bypassCSP: true });
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    await gw?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('pairs on first connect, keeps the key and token in IndexedDB, and reconnects with the token alone', async () => {
    const page = await context.newPage();
    await page.goto(`${gw.httpUrl}/`);
    await page.addScriptTag({ content: bundle });
    const result = await page.evaluate(
      async ({ url, token }) => {
        const identity = await OpenClawDevice.loadBrowserDeviceIdentity();
        const tokens = OpenClawDevice.indexedDbDeviceTokenStore();
        const first = new OpenClawDevice.OpenClawClient({ url, token, scopes: ['operator.read'], deviceIdentity: identity, deviceTokens: tokens });
        const hello = await first.connect();
        first.close();
        await new Promise((r) => setTimeout(r, 100));
        // A fresh load finds the same key pair; the private key cannot be read out.
        const again = await OpenClawDevice.loadBrowserDeviceIdentity();
        const second = new OpenClawDevice.OpenClawClient({ url, scopes: ['operator.read'], deviceIdentity: again, deviceTokens: tokens });
        const hello2 = await second.connect();
        second.close();
        const db = await new Promise<IDBDatabase>((ok, fail) => {
          const r = indexedDB.open('openclaw-device', 1);
          r.onsuccess = () => ok(r.result);
          r.onerror = () => fail(r.error);
        });
        const pair = await new Promise<CryptoKeyPair>((ok) => {
          const r = db.transaction('keys').objectStore('keys').get('device');
          r.onsuccess = () => ok(r.result as CryptoKeyPair);
        });
        db.close();
        return {
          id: identity.deviceId,
          sameId: again.deviceId === identity.deviceId,
          issued: typeof hello.auth.deviceToken === 'string',
          storedToken: (await tokens.load(identity.deviceId, 'operator')) === hello.auth.deviceToken,
          secondScopes: hello2.auth.scopes,
          extractable: pair.privateKey.extractable,
        };
      },
      { url: gw.url, token: gw.token },
    );
    expect(result).toMatchObject({ sameId: true, issued: true, storedToken: true, secondScopes: ['operator.read'], extractable: false });
    expect(result.id).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);
});

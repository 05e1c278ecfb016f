// How the gateway serves the Control UI over HTTP: the page (no-cache, strict CSP, no framing), its
// hashed assets (immutable, gzip when asked), nothing else under /assets, `enabled: false`, and a
// clear page when the UI was never built.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildControlUi, type ControlUiBuild } from '../../scripts/build-ui.mjs';
import { CONTROL_UI_CSP } from '../../server/http/control-ui-handlers.js';
import { defaultControlUiRoots } from '../../server/http/control-ui-files.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';

/** A raw GET (fetch would undo the gzip and hide content-encoding). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('Control UI over HTTP', () => {
  let gw: RunningGateway;
  let ui: ControlUiBuild;
  let uiRoot: string;

  const patchConfig = async (patch: unknown) => {
    const rt = gw.gateway!.runtime;
    rt.config.patch(JSON.stringify(patch), rt.config.redactedSnapshot().hash);
  };

  beforeAll(async () => {
    uiRoot = mkdtempSync(join(tmpdir(), 'openclaw-ui-serve-'));
    ui = await buildControlUi({ outDir: uiRoot });
    gw = await startInProcess({ gateway: { ...TEST_CONFIG.gateway, controlUi: { root: uiRoot } } });
  }, 60_000);

  afterAll(async () => {
    await gw?.stop();
    rmSync(uiRoot, { recursive: true, force: true });
  });

  it('/ is the built index.html: no-cache, a strict CSP, no framing, naming its hashed assets', async () => {
    const res = await get(`${gw.httpUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toBe(CONTROL_UI_CSP);
    expect(CONTROL_UI_CSP).not.toContain('unsafe-inline');
    expect(CONTROL_UI_CSP).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const html = res.body.toString();
    expect(html).toContain(`src="/assets/${ui.script}"`);
    expect(html).toContain(`href="/assets/${ui.style}"`);
    expect(html).not.toMatch(/<script>|<style>| on\w+=/);
    expect(ui.script).toMatch(/^main-[A-Z0-9]{8}\.js$/);
  });

  it('assets are immutable, typed, and gzipped when the browser asks', async () => {
    const plain = await get(`${gw.httpUrl}/assets/${ui.script}`);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(readFileSync(join(uiRoot, 'assets', ui.script)))).toBe(true);
    const zipped = await get(`${gw.httpUrl}/assets/${ui.style}`, { 'accept-encoding': 'gzip, br' });
    expect(zipped.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.body.byteLength).toBeLessThan(readFileSync(join(uiRoot, 'assets', ui.style)).byteLength);
  });

  it('anything else under /assets is 404: unknown names, other types, paths leaving the folder', async () => {
    for (const path of ['/assets/main-NOPE0000.js', '/assets/index.html', '/assets/..%2Fopenclaw.json', '/assets/%2e%2e/index.html', '/assets/.hidden.js', '/assets/a/b.js']) {
      expect((await get(`${gw.httpUrl}${path}`)).status, path).toBe(404);
    }
  });

  it('gateway.controlUi.enabled false hides the page and its assets', async () => {
    await patchConfig({ gateway: { controlUi: { enabled: false } } });
    expect((await get(`${gw.httpUrl}/`)).status).toBe(404);
    expect((await get(`${gw.httpUrl}/assets/${ui.script}`)).status).toBe(404);
    await patchConfig({ gateway: { controlUi: { enabled: null } } });
    expect((await get(`${gw.httpUrl}/`)).status).toBe(200);
  });

  it('a UI that was never built answers 503 saying how to build it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'openclaw-ui-empty-'));
    await patchConfig({ gateway: { controlUi: { root: empty } } });
    const res = await get(`${gw.httpUrl}/`);
    expect(res.status).toBe(503);
    expect(res.body.toString()).toContain('npm run build');
    expect(res.body.toString()).toContain(empty);
    await patchConfig({ gateway: { controlUi: { root: uiRoot } } });
    rmSync(empty, { recursive: true, force: true });
  });

  it('without gateway.controlUi.root the build is looked for beside the CLI bundle, then in the checkout', () => {
    expect(defaultControlUiRoots('file:///opt/openclaw/dist/openclaw.mjs')[0]).toBe('/opt/openclaw/dist/control-ui');
    expect(defaultControlUiRoots('file:///src/gw/server/http/control-ui-files.ts')[1]).toBe('/src/gw/dist/control-ui');
  });
});

// Hand edits of openclaw.json while the gateway runs: a valid edit is applied live, an invalid one
// is logged with its key while the running config is kept, and config.get always answers the hash
// of the file on disk, so a write right after a hand edit works.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady, type RawSocket } from '../helpers/raw-socket.js';
import { bearer, postJson } from '../http/http-gateway.js';

let gw: RunningGateway;
let ws: RawSocket;
const file = () => join(gw.stateDir, 'openclaw.json');
const writeConfig = (extra: Record<string, unknown>) => writeFileSync(file(), JSON.stringify({ ...TEST_CONFIG, ...extra }, null, 2));
const chatStatus = async (): Promise<number> => {
  const res = await postJson(`${gw.httpUrl}/v1/chat/completions`, { model: 'openclaw', messages: [{ role: 'user', content: 'hi' }] }, bearer(gw.token));
  await res.arrayBuffer();
  return res.status;
};

beforeAll(async () => {
  gw = await startInProcess();
  ws = (await openReady(gw.url, gw.token)).socket;
});
afterAll(async () => {
  ws?.close();
  await gw?.stop();
});

describe('config hand edits', () => {
  it('a valid edit is applied without a restart', async () => {
    expect(await chatStatus()).toBe(200);
    writeConfig({ gateway: { ...TEST_CONFIG.gateway, http: { endpoints: { chatCompletions: { enabled: false } } } } });
    await expect.poll(chatStatus, { timeout: 10_000 }).toBe(404);
    writeConfig({});
    await expect.poll(chatStatus, { timeout: 10_000 }).toBe(200);
  });

  it('an invalid edit is logged with the key, and the running config is kept', async () => {
    writeConfig({ gateway: { ...TEST_CONFIG.gateway, prot: 1 } });
    await expect
      .poll(() => readFileSync(gw.gateway!.runtime.logger.file, 'utf8').includes('gateway.prot: unknown key (did you mean \\"port\\"?)'), { timeout: 10_000 })
      .toBe(true);
    expect(await chatStatus()).toBe(200);
    const snapshot = (await call(ws, 'config.get', {})).payload;
    expect(snapshot.valid).toBe(false);
    expect(snapshot.issues).toEqual([expect.objectContaining({ path: 'gateway.prot' })]);
    writeConfig({});
  });

  it('config.get answers the hash on disk, so a patch right after a hand edit succeeds', async () => {
    writeFileSync(file(), `${JSON.stringify(TEST_CONFIG)}\n// edited by hand\n`);
    const { hash } = (await call(ws, 'config.get', {})).payload;
    const patched = await call(ws, 'config.patch', { raw: JSON.stringify({ logging: { level: 'info' } }), baseHash: hash });
    expect(patched.ok, JSON.stringify(patched.error)).toBe(true);
    const again = (await call(ws, 'config.get', {})).payload;
    expect(again.hash).not.toBe(hash);
    expect(again.config.logging).toEqual({ level: 'info' });
  });

  it('gateway.reload.mode "off" keeps hand edits for the next start, and health says so', async () => {
    const reload = async () => (await call(ws, 'health', { probe: true })).payload.configReload;
    expect(await reload()).toEqual({ hotReloadStatus: 'active' });
    writeConfig({ gateway: { ...TEST_CONFIG.gateway, reload: { mode: 'off' } } });
    await expect.poll(reload, { timeout: 10_000 }).toEqual({ hotReloadStatus: 'disabled' });
    expect(await chatStatus()).toBe(200);
    writeConfig({ gateway: { ...TEST_CONFIG.gateway, reload: { mode: 'off' }, http: { endpoints: { chatCompletions: { enabled: false } } } } });
    await expect
      .poll(() => readFileSync(gw.gateway!.runtime.logger.file, 'utf8').includes('not applied because gateway.reload.mode is \\"off\\"'), { timeout: 10_000 })
      .toBe(true);
    expect(await chatStatus()).toBe(200);
  });
});

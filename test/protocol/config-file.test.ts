// The config file: JSON5, OPENCLAW_CONFIG_PATH, errors that name the bad key, config.get redaction,
// baseHash rules for writes, and token rotation closing shared-secret connections with 4001.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../server/gateway.js';
import { startInProcess, TEST_TOKEN, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady } from '../helpers/raw-socket.js';
import { cleanEnv, removeDir, spawnCli } from './gateway-fixtures.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describe('config file loading', () => {
  it.each([
    ['a typo in a key', { gateway: { prot: 18789 } }, 'gateway.prot: unknown key'],
    ['a wrong type', { gateway: { port: 'eighty' } }, 'gateway.port'],
    ['a bad limit', { gateway: { limits: { maxPayload: -1 } } }, 'gateway.limits.maxPayload'],
    [
      'a bad OpenAI endpoint limit',
      { gateway: { http: { endpoints: { responses: { storedResponses: { maxEntries: 'many' } } } } } },
      'gateway.http.endpoints.responses.storedResponses.maxEntries',
    ],
    ['a file fetch deadline of zero', { gateway: { http: { endpoints: { responses: { files: { timeoutMs: 0 } } } } } }, 'gateway.http.endpoints.responses.files.timeoutMs'],
    ['a provider retry past its cap', { models: { providers: { x: { baseUrl: 'http://127.0.0.1:1', retry: { maxWaitMs: 3_600_000 } } } } }, 'models.providers.x.retry.maxWaitMs'],
  ])('%s: the CLI exits 1 naming the key in stderr', async (_label, config, expected) => {
    const cli = spawnCli({ config });
    try {
      expect(await cli.exited).toBe(1);
      expect(cli.stderr()).toContain('invalid config file');
      expect(cli.stderr()).toContain(expected);
      expect(cli.stderr()).toContain('Fix or remove these keys');
      expect(cli.stdout()).not.toContain('listening');
    } finally {
      removeDir(cli.stateDir);
    }
  });

  it('reads JSON5 with comments, trailing commas and unquoted keys', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'openclaw-json5-'));
    writeFileSync(
      join(stateDir, 'openclaw.json'),
      `// written by hand\n{\n  gateway: {\n    /* the shared secret */\n    auth: { token: 'json5-token-123', },\n    limits: { tickIntervalMs: 12345, },\n  },\n}\n`,
    );
    const gateway = await createGateway({ stateDir, port: 0, env: cleanEnv() });
    try {
      const { url } = await gateway.listen();
      const { socket, hello } = await openReady(url, 'json5-token-123');
      expect(hello.policy.tickIntervalMs).toBe(12345);
      socket.close();
    } finally {
      await gateway.stop();
      removeDir(stateDir);
    }
  });

  it('OPENCLAW_CONFIG_PATH points at a config outside the state dir (CLI)', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'openclaw-cfgpath-'));
    const configPath = join(elsewhere, 'custom.json5');
    writeFileSync(configPath, "{ gateway: { auth: { token: 'from-config-path-9' } } }");
    const cli = spawnCli({ config: null, env: { OPENCLAW_CONFIG_PATH: configPath } });
    try {
      const url = await cli.ready;
      const { socket, hello } = await openReady(url, 'from-config-path-9');
      expect(hello.snapshot.configPath).toBe(configPath);
      const got = await call(socket, 'config.get', {});
      expect(got.payload.path).toBe(configPath);
      socket.close();
    } finally {
      await cli.stop();
      removeDir(cli.stateDir);
      removeDir(elsewhere);
    }
  });
});

describe('config.get and writes', () => {
  let gw: RunningGateway;
  const configFile = () => join(gw.stateDir, 'openclaw.json');
  beforeAll(async () => {
    gw = await startInProcess();
  });
  afterAll(() => gw?.stop());

  it('config.get redacts the token everywhere and hashes the raw file', async () => {
    const { socket } = await openReady(gw.url, gw.token, { scopes: ['operator.read'] });
    const res = await call(socket, 'config.get', {});
    expect(res.ok).toBe(true);
    expect(JSON.stringify(res)).not.toContain(TEST_TOKEN);
    expect(res.payload.config.gateway.auth.token).toBe('__OPENCLAW_REDACTED__');
    expect(res.payload.raw).toContain('__OPENCLAW_REDACTED__');
    expect(res.payload.hash).toBe(sha256(readFileSync(configFile(), 'utf8')));
    expect(res.payload.valid).toBe(true);
    socket.close();
  });

  it('writes need the current baseHash: missing → BASE_HASH_REQUIRED, stale → CONFLICT BASE_HASH_MISMATCH', async () => {
    const { socket } = await openReady(gw.url, gw.token);
    const raw = readFileSync(configFile(), 'utf8');
    const missing = await call(socket, 'config.set', { raw });
    expect(missing).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', details: { code: 'BASE_HASH_REQUIRED' } } });
    const stale = await call(socket, 'config.patch', { raw: '{"logging":{"level":"debug"}}', baseHash: sha256('something else') });
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { code: 'BASE_HASH_MISMATCH', currentHash: sha256(raw) } } });
    expect(readFileSync(configFile(), 'utf8')).toBe(raw);
    socket.close();
  });

  it('config.patch with the right baseHash writes the file (0600), redacted and with the new hash', async () => {
    const { socket } = await openReady(gw.url, gw.token);
    const { payload: before } = await call(socket, 'config.get', {});
    const res = await call(socket, 'config.patch', { raw: '{ gateway: { limits: { maxInFlightPerConnection: 100 } } }', baseHash: before.hash });
    expect(res.ok).toBe(true);
    const written = readFileSync(configFile(), 'utf8');
    expect(res.payload.hash).toBe(sha256(written));
    expect(res.payload.restartRequired).toEqual(['gateway.limits']);
    expect(JSON.parse(written).gateway.limits.maxInFlightPerConnection).toBe(100);
    expect(JSON.parse(written).gateway.auth.token).toBe(TEST_TOKEN);
    expect(JSON.stringify(res.payload)).not.toContain(TEST_TOKEN);
    expect(statSync(configFile()).mode & 0o777).toBe(0o600);
    // The same patch again changes nothing.
    const again = await call(socket, 'config.patch', { raw: '{ gateway: { limits: { maxInFlightPerConnection: 100 } } }', baseHash: res.payload.hash });
    expect(again.payload).toMatchObject({ ok: true, noop: true, hash: res.payload.hash });
    socket.close();
  });

  it('an invalid config is refused naming the key, and the file is left alone', async () => {
    const { socket } = await openReady(gw.url, gw.token);
    const { payload } = await call(socket, 'config.get', {});
    const res = await call(socket, 'config.patch', { raw: '{"gateway":{"prot":1}}', baseHash: payload.hash });
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', details: { code: 'CONFIG_INVALID' } } });
    expect(res.error!.message).toContain('gateway.prot');
    expect(sha256(readFileSync(configFile(), 'utf8'))).toBe(payload.hash);
    socket.close();
  });

  it('rotating the token answers the write, then closes every shared-secret connection with 4001', async () => {
    const writer = await openReady(gw.url, gw.token);
    const bystander = await openReady(gw.url, gw.token, { scopes: ['operator.read'] });
    const { payload } = await call(writer.socket, 'config.get', {});
    const res = await call(writer.socket, 'config.patch', { raw: '{"gateway":{"auth":{"token":"rotated-token-42"}}}', baseHash: payload.hash });
    expect(res.ok).toBe(true);
    expect(JSON.stringify(res)).not.toContain('rotated-token-42');
    expect(await writer.socket.closed).toEqual({ code: 4001, reason: 'gateway auth changed' });
    expect((await bystander.socket.closed).code).toBe(4001);
    (await openReady(gw.url, 'rotated-token-42')).socket.close();
    await expect(openReady(gw.url, TEST_TOKEN)).rejects.toThrow(/AUTH_TOKEN_MISMATCH/);
  });
});

// Shared-token auth (docs/protocol.md "Handshake" step 5): where the token comes from, first-start
// generation, the fixed failure delay and rate limiting.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../server/gateway.js';
import { makeStateDir, startInProcess, TEST_TOKEN, type RunningGateway } from '../helpers/gateway-targets.js';
import { connectParams, openRaw, openReady, type Frame } from '../helpers/raw-socket.js';
import { cleanEnv, removeDir, spawnCli } from './gateway-fixtures.js';

/** One connect attempt; resolves with the connect response and the close code (if it closed). */
async function attempt(url: string, token: string | undefined): Promise<{ res: Frame; elapsedMs: number; close?: number }> {
  const s = await openRaw(url);
  await s.next();
  const sentAt = Date.now();
  s.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams(token === undefined ? {} : { auth: { token } }) });
  const res = await s.waitFor((f) => f.id === 'c1');
  const elapsedMs = Date.now() - sentAt;
  if (res.ok) {
    s.close();
    return { res, elapsedMs };
  }
  return { res, elapsedMs, close: (await s.closed).code };
}

describe('token auth rate limiting', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startInProcess(); // TEST_CONFIG: 5 failures per minute, then locked out for a minute
  });
  afterAll(() => gw?.stop());

  it('failures answer after the fixed delay; after maxAttempts wrong tokens are refused as rate limited, the right one still gets in', async () => {
    // The fifth failure trips the lockout and is answered as rate limited (as HTTP answers it 429).
    for (let i = 0; i < 4; i++) {
      const { res, elapsedMs, close } = await attempt(gw.url, `wrong-${i}`);
      expect(res.error?.details?.code).toBe('AUTH_TOKEN_MISMATCH');
      expect(close).toBe(1008);
      // failureDelayMs is 20 in TEST_CONFIG; the reply is never sooner.
      expect(elapsedMs).toBeGreaterThanOrEqual(15);
    }
    const { res, close } = await attempt(gw.url, 'wrong-again');
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', retryable: true, details: { code: 'AUTH_RATE_LIMITED', recommendedNextStep: 'wait_then_retry' } },
    });
    expect(res.error!.retryAfterMs).toBeGreaterThan(0);
    expect(res.error!.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(close).toBe(1008);
    // Loopback is every local process: the lockout never refuses the secret's holder (auth-lockout.test.ts).
    expect((await attempt(gw.url, gw.token)).res.ok).toBe(true);
  });

  it('the token is never echoed in a failure', async () => {
    const { res } = await attempt(gw.url, 'secret-guess-1234');
    expect(JSON.stringify(res)).not.toContain('secret-guess-1234');
    expect(JSON.stringify(res)).not.toContain(TEST_TOKEN);
  });
});

describe('where the token comes from', () => {
  it('OPENCLAW_GATEWAY_TOKEN wins over gateway.auth.token (in-process)', async () => {
    const stateDir = makeStateDir();
    const gateway = await createGateway({ stateDir, port: 0, env: cleanEnv({ OPENCLAW_GATEWAY_TOKEN: 'env-token-abcdef' }) });
    const { url } = await gateway.listen();
    try {
      expect(gateway.token).toBe('env-token-abcdef');
      expect(gateway.tokenGenerated).toBe(false);
      const { socket } = await openReady(url, 'env-token-abcdef');
      socket.close();
      expect((await attempt(url, TEST_TOKEN)).res.error?.details?.code).toBe('AUTH_TOKEN_MISMATCH');
      // The env token is not written to the config file.
      expect(readFileSync(join(stateDir, 'openclaw.json'), 'utf8')).not.toContain('env-token-abcdef');
    } finally {
      await gateway.stop();
      removeDir(stateDir);
    }
  });

  it('OPENCLAW_GATEWAY_TOKEN and --token work through the CLI', async () => {
    const viaEnv = spawnCli({ env: { OPENCLAW_GATEWAY_TOKEN: 'cli-env-token-1' } });
    const viaFlag = spawnCli({ args: ['--token', 'cli-flag-token-2'] });
    try {
      const [envUrl, flagUrl] = await Promise.all([viaEnv.ready, viaFlag.ready]);
      (await openReady(envUrl, 'cli-env-token-1')).socket.close();
      (await openReady(flagUrl, 'cli-flag-token-2')).socket.close();
      expect((await attempt(flagUrl, TEST_TOKEN)).res.error?.details?.code).toBe('AUTH_TOKEN_MISMATCH');
      // The token appears only in the dashboard link's fragment (never a query string, never elsewhere).
      expect(viaFlag.stdout().replace(/#token=cli-flag-token-2\n/, '')).not.toContain('cli-flag-token-2');
    } finally {
      await Promise.all([viaEnv.stop(), viaFlag.stop()]);
      removeDir(viaEnv.stateDir);
      removeDir(viaFlag.stateDir);
    }
  });

  it('with no token configured, the first start generates one, stores it (0600), prints it, and reuses it', async () => {
    const first = spawnCli({ config: null });
    const stateDir = first.stateDir;
    try {
      const url = await first.ready;
      await first.waitForOutput(/token:\s+\S+\s+\(generated/);
      const printed = /token:\s+(\S+)\s+\(generated; stored as gateway\.auth\.token in (\S+)\)/.exec(first.stdout())!;
      const [, token, storedIn] = printed;
      expect(storedIn).toBe(join(stateDir, 'openclaw.json'));
      expect(statSync(storedIn!).mode & 0o777).toBe(0o600);
      const stored = JSON.parse(readFileSync(storedIn!, 'utf8'));
      expect(stored.gateway.auth.token).toBe(token);
      expect(token!.length).toBeGreaterThanOrEqual(24);
      (await openReady(url, token)).socket.close();
      expect(await first.stop()).toBe(0);

      const second = spawnCli({ stateDir });
      try {
        const url2 = await second.ready;
        await second.waitForOutput('token:');
        expect(second.stdout()).not.toContain('generated');
        expect(second.stdout().replace(`#token=${token}\n`, '')).not.toContain(token!);
        (await openReady(url2, token)).socket.close();
        expect(JSON.parse(readFileSync(storedIn!, 'utf8')).gateway.auth.token).toBe(token);
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
      removeDir(stateDir);
    }
  });
});

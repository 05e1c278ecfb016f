// Regression: ten wrong tokens from any local process locked every client out for ~300 s, the
// right token included (WS AUTH_RATE_LIMITED, HTTP 429), because every local process shares the
// loopback address; and one good login from the address wiped the failures, so 54 wrong tries
// interleaved with good logins were never limited. Budgets now belong to a client identity on
// loopback, a lockout there never refuses the right secret, a remote address's lockout refuses
// everything from it (and only it), and successes never reset the count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../helpers/gateway-targets.js';
import { connectParams, openRaw, type Frame } from '../helpers/raw-socket.js';
import { peerOf } from './in-process-peer.js';
import { startWith } from './gateway-fixtures.js';

const MAX = 4;
const LIMIT = { gateway: { auth: { failureDelayMs: 0, rateLimit: { maxAttempts: MAX, windowMs: 60_000, lockoutMs: 60_000, exemptLoopback: false } } } };
const client = (instanceId: string): Record<string, unknown> => ({ id: 'cli', version: '1.0.0', platform: 'linux', mode: 'cli', instanceId });

async function wsAttempt(gw: RunningGateway, token: string, instanceId: string): Promise<Frame> {
  const s = await openRaw(gw.url);
  await s.next();
  s.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams({ client: client(instanceId), auth: { token } }) });
  const res = await s.waitFor((f) => f.id === 'c1');
  s.close();
  return res;
}

async function remoteAttempt(gw: RunningGateway, address: string, token: string): Promise<Frame> {
  const peer = peerOf(gw.gateway!.connectInProcess({ remoteAddress: address }));
  await peer.waitFor((f) => f.event === 'connect.challenge');
  peer.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams({ client: client('same'), auth: { token } }) });
  const res = await peer.waitFor((f) => f.id === 'c1');
  peer.client.close();
  return res;
}

const codeOf = (res: Frame): string => (res.ok ? 'ok' : String(res.error?.details?.code));

async function httpStatus(gw: RunningGateway, token: string, userAgent: string): Promise<number> {
  const res = await fetch(`${gw.httpUrl}/v1/models`, { headers: { authorization: `Bearer ${token}`, 'user-agent': userAgent } });
  await res.arrayBuffer();
  return res.status;
}

describe('auth lockout on loopback (WebSocket)', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startWith(LIMIT);
  });
  afterAll(() => gw?.stop());

  it('one process guessing wrong does not lock out another, and never refuses the right token', async () => {
    const guesses: string[] = [];
    for (let i = 0; i <= MAX; i++) guesses.push(codeOf(await wsAttempt(gw, `wrong-${i}`, 'attacker')));
    expect(guesses).toEqual([...Array<string>(MAX - 1).fill('AUTH_TOKEN_MISMATCH'), 'AUTH_RATE_LIMITED', 'AUTH_RATE_LIMITED']);
    expect(codeOf(await wsAttempt(gw, gw.token, 'rightful-user'))).toBe('ok');
    // Even the locked identity is let in with the secret: a lockout slows guessing, it does not lock owners out.
    expect(codeOf(await wsAttempt(gw, gw.token, 'attacker'))).toBe('ok');
    expect(codeOf(await wsAttempt(gw, 'wrong-after', 'attacker'))).toBe('AUTH_RATE_LIMITED');
  });

  it('good logins in between do not reset the count of wrong tries', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < MAX; i++) {
      outcomes.push(codeOf(await wsAttempt(gw, `guess-${i}`, 'interleaver')));
      outcomes.push(codeOf(await wsAttempt(gw, gw.token, 'interleaver')));
    }
    expect(outcomes.filter((_, i) => i % 2 === 1)).toEqual(Array<string>(MAX).fill('ok'));
    expect(outcomes.filter((_, i) => i % 2 === 0)).toEqual([...Array<string>(MAX - 1).fill('AUTH_TOKEN_MISMATCH'), 'AUTH_RATE_LIMITED']);
  });
});

describe('auth lockout of a remote address', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startWith(LIMIT);
  });
  afterAll(() => gw?.stop());

  it('locks that machine out, right token included, and nobody else', async () => {
    for (let i = 0; i < MAX; i++) await remoteAttempt(gw, '203.0.113.7', `wrong-${i}`);
    expect(codeOf(await remoteAttempt(gw, '203.0.113.7', gw.token))).toBe('AUTH_RATE_LIMITED');
    expect(codeOf(await remoteAttempt(gw, '203.0.113.8', gw.token))).toBe('ok');
    expect(codeOf(await wsAttempt(gw, gw.token, 'local'))).toBe('ok');
  });

  it('a good login from the address does not wipe its failures', async () => {
    for (let i = 0; i < MAX - 1; i++) expect(codeOf(await remoteAttempt(gw, '198.51.100.4', `wrong-${i}`))).toBe('AUTH_TOKEN_MISMATCH');
    expect(codeOf(await remoteAttempt(gw, '198.51.100.4', gw.token))).toBe('ok');
    expect(codeOf(await remoteAttempt(gw, '198.51.100.4', 'wrong-last'))).toBe('AUTH_RATE_LIMITED');
  });
});

describe('auth lockout on loopback (HTTP bearer)', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startWith(LIMIT);
  });
  afterAll(() => gw?.stop());

  it('a guessing client gets 429, the right token is served to it and to everyone else', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= MAX; i++) statuses.push(await httpStatus(gw, `wrong-${i}`, 'guesser/1.0'));
    expect(statuses).toEqual([...Array<number>(MAX - 1).fill(401), 429, 429]);
    expect(await httpStatus(gw, gw.token, 'openai-sdk/6')).toBe(200);
    expect(await httpStatus(gw, gw.token, 'guesser/1.0')).toBe(200);
    expect(await httpStatus(gw, 'still-wrong', 'guesser/1.0')).toBe(429);
  });

  it('good requests in between do not reset the count of wrong tries', async () => {
    const wrong: number[] = [];
    for (let i = 0; i < MAX; i++) {
      wrong.push(await httpStatus(gw, `guess-${i}`, 'interleaver/1.0'));
      expect(await httpStatus(gw, gw.token, 'interleaver/1.0')).toBe(200);
    }
    expect(wrong).toEqual([...Array<number>(MAX - 1).fill(401), 429]);
  });
});

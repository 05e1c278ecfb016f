// The error catalog at run time: constructors build each code one way (top-level code, details,
// default message, retryable), and every error the handshake and the dispatcher produce on their
// own matches the catalog and the contract's declarations, checked the way the dispatcher's
// contract step checks handler errors.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOG, ERROR_DETAIL_CODES, GENERIC_DETAIL_CODES, type ErrorShape } from '../../contract/schemas/errors.js';
import { METHOD_TABLE } from '../../generated/server/method-table.js';
import { AuthRateLimiter, DEFAULT_RATE_LIMIT } from '../../server/auth/auth-rate-limiter.js';
import type { AuthSettings } from '../../server/config/gateway-settings.js';
import { errorContractViolation } from '../../server/core/dispatch-steps.js';
import { gatewayErrors } from '../../server/core/error-constructors.js';
import { evaluateHandshake, type HandshakeInput } from '../../server/core/handshake.js';
import { startInProcess, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, connectParams, openReady } from '../helpers/raw-socket.js';

describe('the catalog', () => {
  it('holds every generic code, with a message and details schema for each code', () => {
    for (const code of GENERIC_DETAIL_CODES) expect(ERROR_DETAIL_CODES).toContain(code);
    for (const code of ERROR_DETAIL_CODES) {
      expect(ERROR_CATALOG[code].details.safeParse({ code: 'OTHER' }).success, code).toBe(false);
    }
    for (const entry of Object.values(METHOD_TABLE)) for (const code of entry.errors) expect(ERROR_DETAIL_CODES, entry.name).toContain(code);
  });

  it('constructors take the top-level code, fields, message and retryable from the catalog', () => {
    const missing = gatewayErrors.SESSION_NOT_FOUND({ key: 'agent:main:x' });
    expect(missing.toShape()).toEqual({
      code: 'NOT_FOUND',
      message: 'session not found: agent:main:x; sessions.list shows the known sessions',
      details: { code: 'SESSION_NOT_FOUND', key: 'agent:main:x' },
    });
    const full = gatewayErrors.QUEUE_FULL({ limit: 4 }, { message: 'wait', retryAfterMs: 1000, payload: { p: 1 } });
    expect(full.toShape()).toEqual({ code: 'UNAVAILABLE', message: 'wait', details: { code: 'QUEUE_FULL', limit: 4 }, retryable: true, retryAfterMs: 1000 });
    expect(full.payload).toEqual({ p: 1 });
    expect(gatewayErrors.MESSAGE_REQUIRED().toShape()).toEqual({ code: 'INVALID_REQUEST', message: 'message or attachment required', details: { code: 'MESSAGE_REQUIRED' } });
  });
});

describe('handshake errors', () => {
  const auth = (mode: AuthSettings['mode'], secret?: string): AuthSettings => ({
    mode,
    token: mode === 'token' ? secret : undefined,
    password: mode === 'password' ? secret : undefined,
    tokenSource: 'config',
    failureDelayMs: 0,
    rateLimit: DEFAULT_RATE_LIMIT,
  });
  const input = (params: Record<string, unknown>): HandshakeInput => ({ method: 'connect', params: connectParams(params), nonce: 'n-1', remoteAddress: '10.0.0.9', isLoopback: false, now: Date.now() });
  const rejectedWith = (outcome: ReturnType<typeof evaluateHandshake>): ErrorShape => {
    if (outcome.ok) throw new Error('expected a refusal');
    return outcome.error;
  };

  it('every code connect can answer is declared by connect and matches the catalog', () => {
    const limiter = (): AuthRateLimiter => new AuthRateLimiter({ ...DEFAULT_RATE_LIMIT, maxAttempts: 1000 });
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
    const device = { id: createHash('sha256').update(raw).digest('hex'), publicKey: raw.toString('base64url'), signature: 'x', signedAt: Date.now(), nonce: 'n-1' };
    const cases: [string, ErrorShape][] = [
      ['AUTH_TOKEN_MISSING', rejectedWith(evaluateHandshake(input({}), auth('token', 't'), limiter()))],
      ['AUTH_TOKEN_MISMATCH', rejectedWith(evaluateHandshake(input({ auth: { token: 'wrong' } }), auth('token', 't'), limiter()))],
      ['AUTH_TOKEN_NOT_CONFIGURED', rejectedWith(evaluateHandshake(input({ auth: { token: 't' } }), auth('token'), limiter()))],
      ['AUTH_PASSWORD_MISSING', rejectedWith(evaluateHandshake(input({}), auth('password', 'p'), limiter()))],
      ['AUTH_PASSWORD_MISMATCH', rejectedWith(evaluateHandshake(input({ auth: { password: 'no' } }), auth('password', 'p'), limiter()))],
      ['AUTH_PASSWORD_NOT_CONFIGURED', rejectedWith(evaluateHandshake(input({ auth: { password: 'p' } }), auth('password'), limiter()))],
      ['PROTOCOL_MISMATCH', rejectedWith(evaluateHandshake(input({ minProtocol: 9, maxProtocol: 9 }), auth('token', 't'), limiter()))],
      ['INVALID_PARAMS', rejectedWith(evaluateHandshake(input({ bogus: 1 }), auth('token', 't'), limiter()))],
      // (DEVICE_AUTH_NONCE_REQUIRED: the params schema already requires the nonce; the type of
      // verifyDeviceProof's answer keeps it among connect's codes.)
      ['DEVICE_AUTH_NONCE_MISMATCH', rejectedWith(evaluateHandshake(input({ auth: { token: 't' }, device: { ...device, nonce: 'other' } }), auth('token', 't'), limiter()))],
      ['DEVICE_AUTH_SIGNATURE_INVALID', rejectedWith(evaluateHandshake(input({ auth: { token: 't' }, device }), auth('token', 't'), limiter()))],
      ['DEVICE_AUTH_PUBLIC_KEY_INVALID', rejectedWith(evaluateHandshake(input({ auth: { token: 't' }, device: { ...device, publicKey: '!' } }), auth('token', 't'), limiter()))],
    ];
    const strict = new AuthRateLimiter({ ...DEFAULT_RATE_LIMIT, maxAttempts: 1, lockoutMs: 60_000 });
    evaluateHandshake(input({ auth: { token: 'wrong' } }), auth('token', 't'), strict);
    cases.push(['AUTH_RATE_LIMITED', rejectedWith(evaluateHandshake(input({ auth: { token: 'wrong' } }), auth('token', 't'), strict))]);
    for (const [code, error] of cases) {
      expect((error.details as { code: string }).code, code).toBe(code);
      expect(errorContractViolation(METHOD_TABLE.connect, error), code).toBeUndefined();
    }
    expect(cases.at(-1)![1]).toMatchObject({ retryable: true, retryAfterMs: expect.any(Number) });
  });
});

describe('dispatcher refusals', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startInProcess();
  });
  afterAll(() => gw?.stop());

  it('match the catalog for every method they refuse', async () => {
    const reader = await openReady(gw.url, gw.token, { scopes: ['operator.read'] });
    const admin = await openReady(gw.url, gw.token, { scopes: ['operator.admin'] });
    const planned = [...gw.gateway!.methods].find(([, b]) => typeof b.handler !== 'function')?.[0];
    const cases: [string, string, ErrorShape | undefined][] = [
      ['MISSING_SCOPE', 'config.set', (await call(reader.socket, 'config.set', { raw: '{}' })).error],
      ['INVALID_PARAMS', 'sessions.reset', (await call(admin.socket, 'sessions.reset', { nope: 1 })).error],
      ['UNKNOWN_METHOD', 'health', (await call(admin.socket, 'no.such.method', {})).error],
    ];
    if (planned) cases.push(['NOT_IMPLEMENTED', planned, (await call(admin.socket, planned, {})).error]);
    for (const [code, method, error] of cases) {
      expect((error?.details as { code?: string } | undefined)?.code, code).toBe(code);
      expect(errorContractViolation(gw.gateway!.methods.get(method)!.entry, error!), code).toBeUndefined();
    }
    reader.socket.close();
    admin.socket.close();
  });
});

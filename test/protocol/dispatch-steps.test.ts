// The dispatcher's steps: the traceparent reaches the handler's context; with contract checks on
// (as in tests), a handler that answers an undeclared error code, none, a code under the wrong
// top-level code or with details the error catalog does not describe, is caught as a contract
// violation instead of reaching the client as if it were part of the method's contract.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { afterSteps } from '../../server/core/dispatch-steps.js';
import { errorsFor } from '../../generated/server/method-errors.js';
import { GatewayError } from '../../server/core/gateway-error.js';
import { createGatewayLogger } from '../../server/logs/gateway-logger.js';
import { createTestHost, handshakeInProcess } from './in-process-peer.js';

const dir = mkdtempSync(join(tmpdir(), 'openclaw-steps-'));
const loggers: { flush(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(loggers.map((l) => l.flush()));
  rmSync(dir, { recursive: true, force: true });
});

const methods = {
  trace: ['health', (_p: unknown, ctx: { traceparent: string | undefined }) => ({ traceparent: ctx.traceparent ?? null })],
  // chat.inject declares SESSION_NOT_FOUND only.
  declared: ['chat.inject', () => Promise.reject(errorsFor('chat.inject').SESSION_NOT_FOUND({ key: 'agent:main:gone' }, 'gone'))],
  // Built by hand, as the catalog does not have them: wrong top-level code, details missing `key`.
  wrongTop: ['chat.inject', () => Promise.reject(new GatewayError('CONFLICT', 'gone', { details: { code: 'SESSION_NOT_FOUND', key: 'k' } }))],
  otherKey: ['chat.inject', () => Promise.reject(new GatewayError('NOT_FOUND', 'gone', { details: { code: 'SESSION_NOT_FOUND', sessionKey: 'k' } }))],
  undeclared: ['chat.inject', () => Promise.reject(new GatewayError('NOT_FOUND', 'gone', { details: { code: 'JOB_NOT_FOUND' } }))],
  uncoded: ['chat.inject', () => Promise.reject(new GatewayError('INVALID_REQUEST', 'no code'))],
} as const;

const hostWith = (validateContract: boolean) => {
  const host = createTestHost({ logFile: join(dir, `gw-${validateContract}.log`), validateContract, methods: methods as never });
  loggers.push(host.logger);
  return host;
};

const injectParams = { sessionKey: 'main', message: 'x' };

describe('dispatch steps', () => {
  it('the traceparent of a frame reaches the handler context', async () => {
    const { peer } = await handshakeInProcess(hostWith(false).connect().client, 'unit-token');
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    peer.send({ type: 'req', id: 't1', method: 'trace', params: {}, traceparent });
    expect((await peer.waitFor((f) => f.id === 't1')).payload).toEqual({ traceparent });
    expect((await peer.call('trace', {})).payload).toEqual({ traceparent: null });
  });

  it('with contract checks on, an undeclared or missing details.code becomes a contract violation', async () => {
    const { peer } = await handshakeInProcess(hostWith(true).connect().client, 'unit-token');
    expect((await peer.call('declared', injectParams)).error).toEqual({ code: 'NOT_FOUND', message: 'gone', details: { code: 'SESSION_NOT_FOUND', key: 'agent:main:gone' } });
    const undeclared = await peer.call('undeclared', injectParams);
    expect(undeclared.error).toMatchObject({ code: 'INTERNAL', details: { contractViolation: expect.stringMatching(/JOB_NOT_FOUND, which its contract does not declare/) } });
    const uncoded = await peer.call('uncoded', injectParams);
    expect(uncoded.error?.details?.contractViolation).toMatch(/without details\.code/);
    expect((await peer.call('wrongTop', injectParams)).error?.details?.contractViolation).toMatch(/SESSION_NOT_FOUND as CONFLICT; the error catalog makes it NOT_FOUND/);
    expect((await peer.call('otherKey', injectParams)).error?.details?.contractViolation).toMatch(/do not match the error catalog: key:/);
    // Dispatcher refusals are every method's: not violations.
    expect((await peer.call('declared', { nope: 1 })).error?.details?.code).toBe('INVALID_PARAMS');
  });

  it('with contract checks off, handler errors pass through unchanged', async () => {
    const { peer } = await handshakeInProcess(hostWith(false).connect().client, 'unit-token');
    expect((await peer.call('undeclared', injectParams)).error).toMatchObject({ code: 'NOT_FOUND', details: { code: 'JOB_NOT_FOUND' } });
  });

  it('the after-steps list is empty on the production hot path (no contract checks, no debug log)', () => {
    const quiet = createGatewayLogger({ file: join(dir, 'quiet.log'), level: 'info' });
    loggers.push(quiet);
    expect(afterSteps({ logger: quiet, validateContract: false })).toEqual([]);
    const loud = createGatewayLogger({ file: join(dir, 'loud.log'), level: 'debug' });
    loggers.push(loud);
    expect(afterSteps({ logger: loud, validateContract: true }).map((s) => s.name)).toEqual(['contract', 'trace']);
  });
});

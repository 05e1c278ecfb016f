// HTTP statuses of gateway errors come from one table (contract/schemas/errors.ts): a run that
// times out answers 504 (AGENT_TIMEOUT), not 500; an error the run API throws keeps its status and
// names its details.code; and the table covers every top-level code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOG, ERROR_CODES, ERROR_DETAIL_CODES, ERROR_HTTP_STATUS, httpStatusOf, httpStatusOfError } from '../../contract/schemas/errors.js';
import { bearer, failure, postJson, startAgentGateway, type AgentGateway } from './http-gateway.js';

describe('the code → status table', () => {
  it('gives every top-level code a status, and each detail code its own or its top-level code’s', () => {
    expect(Object.keys(ERROR_HTTP_STATUS).sort()).toEqual([...ERROR_CODES].sort());
    expect([httpStatusOf('AGENT_TIMEOUT'), httpStatusOf('CANCELLED'), httpStatusOf('NOT_PAIRED')]).toEqual([504, 499, 403]);
    for (const code of ERROR_DETAIL_CODES) {
      const entry = ERROR_CATALOG[code];
      expect(httpStatusOf(code), code).toBe(entry.http ?? ERROR_HTTP_STATUS[entry.top]);
    }
    expect(httpStatusOf('AUTH_RATE_LIMITED')).toBe(429);
    expect(httpStatusOfError({ code: 'UNAVAILABLE', details: { code: 'QUEUE_FULL', limit: 1 } })).toBe(503);
    expect(httpStatusOfError({ code: 'SOMETHING_NEW' })).toBe(500);
  });
});

describe('gateway errors on the OpenAI routes', () => {
  let t: AgentGateway;
  beforeAll(async () => {
    t = await startAgentGateway({ agents: { defaults: { timeoutSeconds: 1 }, list: [{ id: 'main', default: true }, { id: 'broken', model: 'nowhere/none' }] } });
  }, 30_000);
  afterAll(() => t?.stop());

  it('a run that times out answers 504, on both endpoints', async () => {
    t.upstream.enqueue({ chunks: ['slow ', 'reply ', 'never ', 'ends'], chunkDelayMs: 700 });
    const chat = await failure(t.openai.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'take your time' }] }));
    expect(chat.status).toBe(504);
    expect(chat.error).toMatchObject({ type: 'api_error', message: expect.stringContaining('timed out') });

    t.upstream.enqueue({ chunks: ['slow ', 'reply ', 'never ', 'ends'], chunkDelayMs: 700 });
    const res = await postJson(`${t.gw.httpUrl}/v1/responses`, { model: 'openclaw', input: 'take your time' }, bearer(t.gw.token));
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ status: 'failed' });
  });

  it('an error the run API throws keeps its table status and names its details.code', async () => {
    const error = await failure(t.openai.chat.completions.create({ model: 'openclaw/broken', messages: [{ role: 'user', content: 'hi' }] }));
    expect(error.status).toBe(httpStatusOf('MODEL_NOT_FOUND'));
    expect(error.error).toMatchObject({ type: 'invalid_request_error', code: 'model_not_found', message: expect.stringContaining('nowhere/none') });
  });
});

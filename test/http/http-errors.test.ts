// The error statuses of docs/http.md that come before any handler: auth (401/429), body limits (413),
// malformed and invalid bodies (400), wrong verbs (405), disabled endpoints and unknown paths (404),
// and the security headers every response carries.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAIErrorBody } from '../../contract/schemas/openai-http.js';
import { ToolsInvokeError } from '../../contract/schemas/tools-invoke.js';
import type { RunningGateway } from '../helpers/gateway-targets.js';
import { bearer, postJson, startHttpGateway } from './http-gateway.js';

const UNAUTHORIZED = { error: { message: 'Unauthorized', type: 'unauthorized' } };
/** /tools/invoke answers every error, auth included, in its {ok:false} envelope. */
const unauthorizedFor = (path: string) => (path === '/tools/invoke' ? { ok: false, ...UNAUTHORIZED } : UNAUTHORIZED);
const BEARER_ROUTES: [string, string][] = [
  ['GET', '/v1/models'],
  ['POST', '/v1/chat/completions'],
  ['POST', '/v1/responses'],
  ['POST', '/v1/embeddings'],
  ['POST', '/tools/invoke'],
];

function expectSecurityHeaders(res: Response): void {
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
}

describe('HTTP errors before the handler', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startHttpGateway({
      gateway: {
        // Loopback is exempt here so wrong-token tests do not lock the suite out; the rate-limit suite below is not.
        auth: { rateLimit: { maxAttempts: 5, windowMs: 60_000, lockoutMs: 60_000, exemptLoopback: true } },
        http: { endpoints: { chatCompletions: { maxBodyBytes: 2048 }, responses: { maxBodyBytes: 2048 } }, toolsInvokeMaxBodyBytes: 1024 },
      },
    });
  });
  afterAll(() => gw?.stop());

  it.each(BEARER_ROUTES)('%s %s without a token: 401 with the upstream body (in the {ok:false} envelope on /tools/invoke)', async (method, path) => {
    const res = await fetch(gw.httpUrl + path, { method, ...(method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}) });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(unauthorizedFor(path));
    expectSecurityHeaders(res);
  });

  it.each(BEARER_ROUTES)('%s %s with a wrong token or scheme: 401', async (method, path) => {
    for (const authorization of ['Bearer wrong-token', `Basic ${gw.token}`, 'Bearer ']) {
      const res = await fetch(gw.httpUrl + path, { method, headers: { authorization }, ...(method === 'POST' ? { body: '{}' } : {}) });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual(unauthorizedFor(path));
    }
  });

  it('malformed JSON: 400 invalid_request_error (OpenAI shape on /v1, {ok:false} on /tools/invoke)', async () => {
    for (const path of ['/v1/chat/completions', '/v1/responses']) {
      const res = await postJson(gw.httpUrl + path, '{"model":', bearer(gw.token));
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { type: 'invalid_request_error', message: expect.stringContaining('Malformed JSON') } });
    }
    const res = await postJson(gw.httpUrl + '/tools/invoke', 'not json', bearer(gw.token));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ ok: false, error: { type: 'invalid_request_error', message: expect.stringContaining('Malformed JSON') } });
  });

  it('a body failing the contract schema: 400 naming the field', async () => {
    const chat = await postJson(gw.httpUrl + '/v1/chat/completions', { model: 'openclaw' }, bearer(gw.token));
    expect(chat.status).toBe(400);
    expect(await chat.json()).toEqual({ error: { type: 'invalid_request_error', message: expect.stringContaining('messages') } });
    const responses = await postJson(gw.httpUrl + '/v1/responses', { model: 'openclaw', input: 42 }, bearer(gw.token));
    expect(responses.status).toBe(400);
    expect(((await responses.json()) as { error: { message: string } }).error.message).toContain('input');
    const tools = await postJson(gw.httpUrl + '/tools/invoke', { tool: 'x', args: [1] }, bearer(gw.token));
    expect(tools.status).toBe(400);
    expect(await tools.json()).toEqual({ ok: false, error: { type: 'invalid_request_error', message: expect.stringContaining('args') } });
  });

  it('a body over the endpoint limit: 413, by Content-Length or while streaming', async () => {
    const big = JSON.stringify({ model: 'openclaw', messages: [{ role: 'user', content: 'x'.repeat(4096) }] });
    const declared = await postJson(gw.httpUrl + '/v1/chat/completions', big, bearer(gw.token));
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ error: { type: 'payload_too_large', message: 'Payload too large (limit 2048 bytes)' } });
    expect(declared.headers.get('connection')).toBe('close');
    expectSecurityHeaders(declared);

    const chunked = await fetch(gw.httpUrl + '/v1/responses', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(gw.token) },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(512)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);

    const tools = await postJson(gw.httpUrl + '/tools/invoke', { tool: 'x', args: { pad: 'y'.repeat(2000) } }, bearer(gw.token));
    expect(tools.status).toBe(413);
    expect(await tools.json()).toEqual({ ok: false, error: { type: 'payload_too_large', message: 'Payload too large (limit 1024 bytes)' } });
  });

  it.each([
    ['GET', '/v1/chat/completions', 'POST'],
    ['PUT', '/v1/responses', 'POST'],
    ['POST', '/v1/models', 'GET, HEAD'],
  ])('%s %s: 405 with Allow: %s and an OpenAI-shaped JSON error', async (method, path, allow) => {
    const res = await fetch(gw.httpUrl + path, { method, headers: bearer(gw.token) });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ error: { type: 'invalid_request_error', code: 'method_not_allowed', message: `Method Not Allowed: ${method} ${path}; use ${allow}.` } });
    expectSecurityHeaders(res);
  });

  it.each(['GET', 'PUT', 'DELETE'])('%s /tools/invoke: 405 with Allow: POST and the {ok:false} envelope', async (method) => {
    const res = await fetch(gw.httpUrl + '/tools/invoke', { method, headers: bearer(gw.token) });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    const body = await res.json();
    expect(body).toEqual({ ok: false, error: { type: 'invalid_request_error', message: `Method Not Allowed: ${method} /tools/invoke; use POST.` } });
    ToolsInvokeError.parse(body);
    expectSecurityHeaders(res);
  });

  it('the OpenAI SDK sees a 405 on /v1/* as an APIError carrying the JSON error', async () => {
    const client = new OpenAI({ baseURL: `${gw.httpUrl}/v1`, apiKey: gw.token, maxRetries: 0 });
    const error = await client.get('/chat/completions').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(405);
    const body = (error as InstanceType<typeof OpenAI.APIError>).error;
    expect(body).toEqual({ type: 'invalid_request_error', code: 'method_not_allowed', message: 'Method Not Allowed: GET /v1/chat/completions; use POST.' });
    OpenAIErrorBody.parse({ error: body });
  });

  it.each([
    ['DELETE', '/health', 'GET, HEAD'],
    ['POST', '/readyz', 'GET, HEAD'],
  ])('%s %s: 405 with Allow: %s, plain text as upstream', async (method, path, allow) => {
    const res = await fetch(gw.httpUrl + path, { method, headers: bearer(gw.token) });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
    expect(await res.text()).toBe('Method Not Allowed');
    expectSecurityHeaders(res);
  });

  it('an unknown path: 404 text, with security headers', async () => {
    const res = await fetch(gw.httpUrl + '/v2/nothing');
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('Not Found');
    expectSecurityHeaders(res);
    expect(res.headers.get('permissions-policy')).toBe('camera=(), microphone=(), geolocation=()');
  });
});

describe('HTTP auth rate limit', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startHttpGateway({ gateway: { auth: { rateLimit: { maxAttempts: 3, windowMs: 60_000, lockoutMs: 60_000, exemptLoopback: false } } } });
  });
  afterAll(() => gw?.stop());

  it('repeated failures answer 429 with Retry-After (the right token still gets in from loopback)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(gw.httpUrl + '/v1/models', { headers: bearer('nope') })).status);
    expect(statuses).toEqual([401, 401, 429]);
    const locked = await postJson(gw.httpUrl + '/tools/invoke', { tool: 'x' }, bearer('nope-again'));
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await locked.json()).toEqual({ ok: false, error: { message: 'Too many failed authentication attempts. Please try again later.', type: 'rate_limited' } });
    expectSecurityHeaders(locked);
  });
});

describe('disabled OpenAI endpoints', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startHttpGateway({ gateway: { http: { endpoints: { chatCompletions: { enabled: false }, responses: { enabled: false } } } } });
  });
  afterAll(() => gw?.stop());

  it.each([
    ['/v1/chat/completions', 'gateway.http.endpoints.chatCompletions.enabled'],
    ['/v1/responses', 'gateway.http.endpoints.responses.enabled'],
  ])('%s answers 404 naming %s', async (path, key) => {
    const res = await postJson(gw.httpUrl + path, { model: 'openclaw', input: 'hi', messages: [{ role: 'user', content: 'hi' }] }, bearer(gw.token));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { type: 'not_found', message: `This endpoint is disabled; set ${key} to true to enable it.` } });
  });

  it('with both off, the companions /v1/models, /v1/models/{id} and /v1/embeddings are off too (as upstream)', async () => {
    const both = 'gateway.http.endpoints.chatCompletions.enabled or gateway.http.endpoints.responses.enabled';
    for (const res of [
      await fetch(gw.httpUrl + '/v1/models', { headers: bearer(gw.token) }),
      await fetch(gw.httpUrl + '/v1/models/openclaw', { headers: bearer(gw.token) }),
      await postJson(gw.httpUrl + '/v1/embeddings', { model: 'openclaw', input: 'x' }, bearer(gw.token)),
    ]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { type: 'not_found', message: `This endpoint is disabled; set ${both} to true to enable it.` } });
    }
    // /tools/invoke is always on.
    // A name no tool resembles (no "did you mean" hint; "nope" is close to the nodes tool).
    const tools = await postJson(gw.httpUrl + '/tools/invoke', { tool: 'qqqq' }, bearer(gw.token));
    expect(await tools.json()).toEqual({ ok: false, error: { type: 'not_found', message: 'Tool not available: qqqq (GET /tools/catalog lists the tools)' } });
  });
});

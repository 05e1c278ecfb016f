// Property-based fuzz of the HTTP endpoints against a real gateway and fake upstream: mutations of
// valid /v1/chat/completions, /v1/responses, /v1/embeddings and /tools/invoke bodies (wrong types, missing and
// unknown keys, numbers as strings, deep nesting, truncation) and random bytes. Every answer has a
// documented status and the endpoint's error shape, carries the security headers, and is never a
// 500; the gateway stays healthy afterwards. File URLs are off: a loopback file server, allowlisted,
// proves that nothing is fetched.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearer, startAgentGateway, type AgentGateway } from '../http/http-gateway.js';
import { mutatedJsonArb, type Json } from './frame-arbitraries.js';
import { HOSTILE_VALUES } from './hostile-values.js';
import { HTTP_TARGETS, sweep } from './schema-frames.js';
import { LONG_FUZZ, runs, timeoutFor } from './fuzz-scale.js';

const RUNS = runs(120, 1_000);
/** npm test sweeps HTTP bodies with the values that once broke validation; npm run fuzz with all of them. */
const SWEEP_VALUES = LONG_FUZZ ? HOSTILE_VALUES : HOSTILE_VALUES.slice(0, 9);
const b64 = (text: string): string => Buffer.from(text).toString('base64');

let t: AgentGateway;
let files: Server;
let fileHits = 0;
let fileUrl = '';
beforeAll(async () => {
  files = createServer((_req, res) => {
    fileHits++;
    res.writeHead(200, { 'content-type': 'text/plain' }).end('fetched');
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  fileUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}/never-fetched.txt`;
  t = await startAgentGateway({
    gateway: { http: { endpoints: { responses: { files: { allowUrl: false, urlAllowlist: ['127.0.0.1'] } } } } },
    agents: { defaults: { memorySearch: { provider: 'fake', model: 'fake-embed' } } },
  });
  t.gw.gateway!.services.agents.tools.register({
    name: 'fuzz_echo',
    description: 'Echoes its text',
    parameters: z.strictObject({ text: z.string().max(100), action: z.enum(['upper']).optional() }),
    run: (args) => ({ text: args.text }),
  });
  t.gw.gateway!.services.agents.tools.register({ name: 'fuzz_danger', description: 'Changes things', dangerous: true, parameters: z.strictObject({}), run: () => 'did it' });
});
afterAll(async () => {
  await t?.stop();
  await new Promise((resolve) => files?.close(resolve));
});

const chatBase: fc.Arbitrary<Json> = fc.record(
  {
  model: fc.constantFrom('openclaw', 'openclaw/main', 'agent:ops', 'gpt-4o'),
  messages: fc.constantFrom<Json>(
    [{ role: 'user', content: 'hi' }],
    [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${b64('png')}` } }] },
    ],
    [
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b' },
      { role: 'user', content: 'c' },
    ],
  ),
  stream: fc.boolean(),
  stream_options: fc.constant({ include_usage: true }),
  user: fc.constantFrom('alice', ''),
  tools: fc.constant<Json>([{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }]),
  tool_choice: fc.constantFrom<Json>('auto', 'none', { type: 'function', function: { name: 'lookup' } }),
  temperature: fc.double({ min: 0, max: 2, noNaN: true }),
  stop: fc.constantFrom<Json>('END', ['a', 'b']),
  max_tokens: fc.integer({ min: 1, max: 100 }),
  response_format: fc.constantFrom<Json>({ type: 'json_object' }, { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } }),
}, { requiredKeys: ['model', 'messages'] });

const responsesBase = (): fc.Arbitrary<Json> =>
  fc.record(
  {
  model: fc.constantFrom('openclaw', 'openclaw/ops'),
  input: fc.constantFrom<Json>(
    'hi',
    [{ role: 'user', content: [{ type: 'input_text', text: 'read' }, { type: 'input_file', filename: 'a.txt', file_data: `data:text/plain;base64,${b64('file')}` }] }],
    [{ role: 'user', content: [{ type: 'input_file', file_url: fileUrl }] }],
    [
      { type: 'function_call', call_id: 'c1', name: 'lookup', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: 'found' },
    ],
  ),
  instructions: fc.constant('Answer briefly.'),
  stream: fc.boolean(),
  tools: fc.constant<Json>([{ type: 'function', name: 'lookup', parameters: { type: 'object', properties: {} } }]),
  top_p: fc.double({ min: 0, max: 1, noNaN: true }),
  text: fc.constant<Json>({ format: { type: 'json_schema', name: 'x', schema: { type: 'object' } } }),
}, { requiredKeys: ['model', 'input'] });

const embeddingsBase: fc.Arbitrary<Json> = fc.record(
  {
    model: fc.constantFrom('openclaw', 'openclaw/ops', 'openclaw/nobody'),
    input: fc.oneof(fc.string({ maxLength: 40 }), fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 5 })),
    encoding_format: fc.constantFrom('float', 'base64'),
    dimensions: fc.integer({ min: 1, max: 16 }),
  },
  { requiredKeys: ['model', 'input'] },
);

const toolsBase: fc.Arbitrary<Json> = fc.record(
  {
    tool: fc.constantFrom('fuzz_echo', 'no_such_tool', 'fuzz_danger'),
    args: fc.constant({ text: 'ping' }),
    action: fc.constant('upper'),
    sessionKey: fc.constantFrom('main', 'agent:main:fuzz'),
    dryRun: fc.boolean(),
  },
  { requiredKeys: ['tool'] },
);

const bodyArb = (base: fc.Arbitrary<Json>): fc.Arbitrary<string> =>
  fc.oneof({ weight: 5, arbitrary: mutatedJsonArb(base) }, { weight: 1, arbitrary: fc.string({ maxLength: 80 }) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) });

const OpenAiError = z.object({ error: z.object({ message: z.string().min(1), type: z.string().min(1) }) });
const ToolsError = z.object({ ok: z.literal(false), error: z.object({ type: z.string().min(1), message: z.string().min(1) }) });

/** Statuses seen per path: the properties mean little unless both successes and refusals occurred. */
const seen = new Map<string, Map<number, number>>();

async function post(path: string, body: string): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(t.gw.httpUrl + path, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(t.gw.token) }, body });
  const counts = seen.get(path) ?? new Map<number, number>();
  counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
  seen.set(path, counts);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

function checkCommon(res: { status: number; headers: Headers }): void {
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.status).not.toBe(500);
}

describe('HTTP fuzz', () => {
  it('/v1/chat/completions, /v1/responses and /v1/embeddings: 200 or a documented OpenAI-shaped error', async () => {
    for (const [path, base] of [
      ['/v1/chat/completions', chatBase],
      ['/v1/responses', responsesBase()],
      ['/v1/embeddings', embeddingsBase],
    ] as const) {
      await fc.assert(
        fc.asyncProperty(bodyArb(base), async (body) => {
          const res = await post(path, body);
          checkCommon(res);
          // 502: the fake embeddings server fails inputs containing FAIL, which random text may hold.
          expect(path === '/v1/embeddings' ? [200, 400, 413, 502] : [200, 400, 413]).toContain(res.status);
          if (res.status !== 200) OpenAiError.parse(JSON.parse(res.text));
          else if (res.headers.get('content-type')?.startsWith('text/event-stream')) expect(res.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
          else JSON.parse(res.text);
        }),
        { numRuns: RUNS },
      );
    }
    for (const path of ['/v1/chat/completions', '/v1/responses', '/v1/embeddings']) {
      expect(seen.get(path)?.get(200) ?? 0, `${path} successes`).toBeGreaterThan(5);
      expect(seen.get(path)?.get(400) ?? 0, `${path} refusals`).toBeGreaterThan(5);
    }
    // Nothing was fetched: the one file URL in the inputs is refused with file URLs off.
    expect(fileHits).toBe(0);
  }, timeoutFor(RUNS * 3 * 20));

  it('/tools/invoke: 200, 400, 403 or 404, every error in the {ok:false} envelope', async () => {
    await fc.assert(
      fc.asyncProperty(bodyArb(toolsBase), async (body) => {
        const res = await post('/tools/invoke', body);
        checkCommon(res);
        expect([200, 400, 403, 404]).toContain(res.status);
        const parsed: unknown = JSON.parse(res.text);
        if (res.status === 200) expect(parsed).toMatchObject({ ok: true });
        else ToolsError.parse(parsed);
      }),
      { numRuns: RUNS * 2 },
    );
    for (const status of [200, 400, 403, 404]) expect(seen.get('/tools/invoke')?.get(status) ?? 0, `/tools/invoke ${status}s`).toBeGreaterThan(3);
  }, timeoutFor(RUNS * 2 * 20));

  // Every position of every body (from the generated OpenAPI document) gets every hostile value.
  it('schema sweep: hostile values in every position of every HTTP body are 4xx or 200, never 500', async () => {
    const allowed: Record<string, number[]> = {
      '/v1/chat/completions': [200, 400, 413],
      '/v1/responses': [200, 400, 413],
      '/v1/embeddings': [200, 400, 413, 502],
      '/tools/invoke': [200, 400, 403, 404],
    };
    // Bases the gateway can act on, so a value that passes validation reaches the handler.
    const known: Record<string, Record<string, Json>> = {
      '/v1/chat/completions': { model: 'openclaw', messages: [{ role: 'user', content: 'hi' }] },
      '/v1/responses': { model: 'openclaw' },
      '/v1/embeddings': { model: 'openclaw' },
      '/tools/invoke': { tool: 'fuzz_echo', args: { text: 'ping' } },
    };
    let requests = 0;
    for (const sampled of HTTP_TARGETS) {
      // /tools/invoke's sampled extras (agent, session, action) never name real ones: its base is the known body alone.
      const base = sampled.name === '/tools/invoke' ? known[sampled.name]! : { ...(sampled.base as Record<string, Json>), ...known[sampled.name] };
      const target = { ...sampled, base };
      for (const { doc, path, value } of sweep(target, SWEEP_VALUES)) {
        const res = await post(target.name, JSON.stringify(doc));
        checkCommon(res);
        expect(allowed[target.name] ?? [200, 400], `${target.name} ${JSON.stringify(path)} = ${value.name}: ${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
        requests++;
      }
    }
    expect(HTTP_TARGETS.map((t) => t.name).sort()).toEqual(Object.keys(allowed).sort());
    expect(requests).toBeGreaterThan(1_000);
    for (const path of Object.keys(allowed)) expect(seen.get(path)?.get(200) ?? 0, `${path} served some`).toBeGreaterThan(0);
  }, LONG_FUZZ ? 1_200_000 : 300_000);

  it('stays healthy and serves a normal turn afterwards', async () => {
    expect((await fetch(t.gw.httpUrl + '/health')).status).toBe(200);
    const answer = await t.openai.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'still there?' }] });
    expect(answer.choices[0]!.message.content).toBeTruthy();
  });
});

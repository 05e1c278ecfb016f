// POST /tools/invoke against a real gateway: tools registered in the agent runtime's registry,
// the HTTP tool policy from config, and the exact bodies and statuses of docs/http.md "/tools/invoke".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ToolsInvokeError, ToolsInvokeSuccess } from '../../contract/schemas/tools-invoke.js';
import type { ToolCallContext } from '../../server/tools/tool-types.js';
import type { RunningGateway } from '../helpers/gateway-targets.js';
import { bearer, postJson, startHttpGateway } from './http-gateway.js';

let gw: RunningGateway;
const calls: { args: unknown; ctx: ToolCallContext }[] = [];

async function invoke(body: unknown): Promise<{ status: number; body: any }> {
  const res = await postJson(`${gw.httpUrl}/tools/invoke`, body, bearer(gw.token));
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  gw = await startHttpGateway({ agents: { list: [{ id: 'main', default: true }, { id: 'ops' }] } });
  const tools = gw.gateway!.services.agents.tools;
  tools.register({
    name: 'test_echo',
    description: 'Echoes its input',
    parameters: z.strictObject({ text: z.string(), action: z.enum(['upper', 'lower']).optional() }),
    run: (args, ctx) => {
      calls.push({ args, ctx });
      return { text: args.action === 'upper' ? args.text.toUpperCase() : args.text, sessionKey: ctx.sessionKey, agentId: ctx.agentId };
    },
  });
  tools.register({ name: 'test_danger', description: 'Changes things', dangerous: true, parameters: z.strictObject({}), run: () => 'did it' });
  tools.register({
    name: 'test_broken',
    description: 'Always fails',
    parameters: z.strictObject({}),
    run: () => {
      throw new Error('disk /secret/path is full');
    },
  });
});
afterAll(() => gw?.stop());

describe('/tools/invoke', () => {
  it('an allowed tool runs: 200 {ok:true, result} with the main session and default agent', async () => {
    const res = await invoke({ tool: 'test_echo', args: { text: 'hi' } });
    expect(res.status).toBe(200);
    expect(ToolsInvokeSuccess.parse(res.body)).toEqual({ ok: true, result: { text: 'hi', sessionKey: 'agent:main:main', agentId: 'main' } });
    expect(calls.at(-1)!.ctx).toMatchObject({ caller: { kind: 'http' }, toolCallId: expect.stringMatching(/^http-\d+$/) });
  });

  it('`action` is merged into args when the tool takes one; `name`, agentId and sessionKey are honoured', async () => {
    const res = await invoke({ name: 'test_echo', action: 'upper', args: { text: 'hi' }, agentId: 'OPS', sessionKey: 'agent:ops:work' });
    expect(res).toEqual({ status: 200, body: { ok: true, result: { text: 'HI', sessionKey: 'agent:ops:work', agentId: 'ops' } } });
    const explicit = await invoke({ tool: 'test_echo', action: 'upper', args: { text: 'hi', action: 'lower' } });
    expect(explicit.body.result.text).toBe('hi');
  });

  it('a dangerous tool is denied by default: 403 tool_denied naming gateway.tools.allow; allowing it there lets it run', async () => {
    const denied = await invoke({ tool: 'test_danger' });
    expect(denied.status).toBe(403);
    expect(ToolsInvokeError.parse(denied.body)).toEqual({
      ok: false,
      error: { type: 'tool_denied', message: 'tool test_danger is denied over HTTP by default; add "test_danger" to gateway.tools.allow to allow it' },
    });
    const config = gw.gateway!.runtime.config;
    config.setPath(['gateway', 'tools'], { allow: ['test_danger'] });
    try {
      expect(await invoke({ tool: 'test_danger' })).toEqual({ status: 200, body: { ok: true, result: 'did it' } });
    } finally {
      config.setPath(['gateway', 'tools'], null);
    }
  });

  it('gateway.tools.deny denies an otherwise allowed tool, naming the key', async () => {
    const config = gw.gateway!.runtime.config;
    config.setPath(['gateway', 'tools'], { deny: ['test_*'] });
    try {
      const res = await invoke({ tool: 'test_echo', args: { text: 'x' } });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ ok: false, error: { type: 'tool_denied', message: expect.stringContaining('gateway.tools.deny') } });
    } finally {
      config.setPath(['gateway', 'tools'], null);
    }
  });

  it('an unknown tool: 404 not_found "Tool not available: <name>"', async () => {
    // Upstream's message first; then where to look (no registered name is close to this one).
    expect(await invoke({ tool: 'no_such_tool' })).toEqual({
      status: 404,
      body: { ok: false, error: { type: 'not_found', message: 'Tool not available: no_such_tool (GET /tools/catalog lists the tools)' } },
    });
  });

  it('an unknown agent: 404 not_found naming the agent', async () => {
    const res = await invoke({ tool: 'test_echo', args: { text: 'x' }, agentId: 'ghost' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ ok: false, error: { type: 'not_found', message: expect.stringContaining('"ghost"') } });
  });

  it('invalid args: 400 tool_error naming the field, and the tool does not run', async () => {
    const before = calls.length;
    const res = await invoke({ tool: 'test_echo', args: { text: 42 } });
    expect(res.status).toBe(400);
    expect(ToolsInvokeError.parse(res.body).error).toEqual({ type: 'tool_error', message: expect.stringContaining('text') });
    expect(calls.length).toBe(before);
  });

  it('a missing tool: 400 with upstream\'s message, in the same {ok:false} envelope as every other error', async () => {
    expect(await invoke({ args: {} })).toEqual({ status: 400, body: { ok: false, error: { message: 'tools.invoke requires body.tool', type: 'invalid_request_error' } } });
  });

  it('a tool that throws: 500 tool_error "tool execution failed", without its internals', async () => {
    const res = await invoke({ tool: 'test_broken' });
    expect(res).toEqual({ status: 500, body: { ok: false, error: { type: 'tool_error', message: 'tool execution failed' } } });
  });

  it('dryRun validates tool, policy and args without running the tool', async () => {
    const before = calls.length;
    expect(await invoke({ tool: 'test_echo', action: 'upper', args: { text: 'dry' }, dryRun: true })).toEqual({
      status: 200,
      body: { ok: true, result: { dryRun: true, tool: 'test_echo', args: { text: 'dry', action: 'upper' } } },
    });
    expect((await invoke({ tool: 'test_echo', args: { text: 1 }, dryRun: true })).status).toBe(400);
    expect((await invoke({ tool: 'test_danger', dryRun: true })).status).toBe(403);
    expect((await invoke({ tool: 'nope', dryRun: true })).status).toBe(404);
    expect(calls.length).toBe(before);
  });

  it('a client that goes away aborts the running tool through its signal', async () => {
    const tools = gw.gateway!.services.agents.tools;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const sawAbort = new Promise<boolean>((resolve) => {
      tools.register({
        name: 'test_waits',
        description: 'Waits until aborted',
        parameters: z.strictObject({}),
        run: (_args, ctx) =>
          new Promise((_resolve, reject) => {
            ctx.signal.addEventListener('abort', () => {
              resolve(true);
              reject(new Error('aborted'));
            });
            started();
          }),
      });
    });
    const client = new AbortController();
    const hangUp = fetch(`${gw.httpUrl}/tools/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(gw.token) },
      body: JSON.stringify({ tool: 'test_waits' }),
      signal: client.signal,
    }).catch(() => undefined);
    await running;
    client.abort();
    await hangUp;
    expect(await sawAbort).toBe(true);
  });
});

describe('/v1/models', () => {
  it('lists openclaw, openclaw/default and every agent (via the openai SDK)', async () => {
    const { default: OpenAI } = await import('openai');
    const client = new OpenAI({ baseURL: `${gw.httpUrl}/v1`, apiKey: gw.token, maxRetries: 0 });
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models).toEqual(
      ['openclaw', 'openclaw/default', 'openclaw/main', 'openclaw/ops'].map((id) => ({ id, object: 'model', created: 0, owned_by: 'openclaw' })),
    );
  });

  it('GET /v1/models/{id}: every listed id and alias of a configured agent, slashes encoded or not (via the openai SDK)', async () => {
    const { default: OpenAI } = await import('openai');
    const client = new OpenAI({ baseURL: `${gw.httpUrl}/v1`, apiKey: gw.token, maxRetries: 0 });
    for (const id of ['openclaw', 'openclaw/default', 'openclaw/ops', 'openclaw:ops', 'agent:main']) {
      expect(await client.models.retrieve(id)).toEqual({ id, object: 'model', created: 0, owned_by: 'openclaw' });
    }
    const raw = await fetch(`${gw.httpUrl}/v1/models/openclaw/ops`, { headers: bearer(gw.token) });
    expect(await raw.json()).toEqual({ id: 'openclaw/ops', object: 'model', created: 0, owned_by: 'openclaw' });
  });

  it('GET /v1/models/{id} of an unknown agent or model: OpenAI\'s 404 model_not_found; without a token: 401; POST: 405', async () => {
    const { default: OpenAI } = await import('openai');
    const client = new OpenAI({ baseURL: `${gw.httpUrl}/v1`, apiKey: gw.token, maxRetries: 0 });
    for (const id of ['openclaw/nobody', 'gpt-4o']) {
      const error = (await client.models.retrieve(id).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(error.error).toEqual({ type: 'invalid_request_error', param: 'model', code: 'model_not_found', message: `The model '${id}' does not exist; GET /v1/models lists the models you can use.` });
    }
    expect((await fetch(`${gw.httpUrl}/v1/models/openclaw`)).status).toBe(401);
    const post = await fetch(`${gw.httpUrl}/v1/models/openclaw/main`, { method: 'POST', headers: bearer(gw.token) });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});

// Thinking levels reach the model: a run's `thinking`, else the session's thinkingLevel, else the
// agent's / defaults' thinkingDefault, sent as `reasoning_effort` to reasoning models only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { OfflineProvider } from '../../server/providers/offline-provider.js';
import type { ModelRequest, ModelStreamEvent } from '../../server/providers/model-types.js';
import { startFakeOpenAi, type CapturedRequest, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady, type Frame, type RawSocket } from '../helpers/raw-socket.js';
import { chatSend, chatTurn, uniqueKey } from './chat-kit.js';

let upstream: FakeOpenAiServer;
let gw: RunningGateway;
let ws: RawSocket;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  gw = await startInProcess({
    ...TEST_CONFIG,
    models: {
      providers: {
        fake: {
          baseUrl: upstream.baseUrl,
          models: [
            { id: 'reason-model', reasoning: true },
            { id: 'plain-model', reasoning: false },
          ],
        },
      },
    },
    agents: {
      defaults: { model: { primary: 'fake/reason-model' }, thinkingDefault: 'minimal' },
      list: [
        { id: 'main', default: true, thinkingDefault: 'low' },
        { id: 'helper' },
      ],
    },
  });
  ws = (await openReady(gw.url, gw.token)).socket;
});
afterAll(async () => {
  ws?.close();
  await gw?.stop();
  await upstream?.close();
});

/** A fresh session of the agent, optionally patched first (model, thinkingLevel). */
async function session(agentId = 'main', patch: Record<string, unknown> = {}): Promise<string> {
  const key = `agent:${agentId}:${uniqueKey('think')}`;
  if (Object.keys(patch).length > 0) {
    const res = await call(ws, 'sessions.patch', { key, ...patch });
    expect(res.ok, JSON.stringify(res.error)).toBe(true);
  }
  return key;
}

/** The upstream request whose last user message is `marker`. */
function sentFor(marker: string): CapturedRequest {
  const found = upstream.requests.filter((r) => r.body.messages?.at(-1)?.content === marker);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** One chat.send turn that must end `final`; returns what the upstream received. */
async function turn(sessionKey: string, extra: Record<string, unknown> = {}): Promise<CapturedRequest> {
  const marker = uniqueKey('msg');
  const run = await chatTurn(ws, sessionKey, marker, extra);
  expect(run.terminal.payload.state, JSON.stringify(run.terminal.payload)).toBe('final');
  return sentFor(marker);
}

describe('thinking level on chat.send', () => {
  it('sends `thinking: "high"` to a reasoning model as reasoning_effort "high"', async () => {
    const sent = await turn(await session(), { thinking: 'high' });
    expect(sent.body.model).toBe('reason-model');
    expect(sent.body.reasoning_effort).toBe('high');
  });

  it('maps xhigh to high and accepts any case', async () => {
    expect((await turn(await session(), { thinking: 'xhigh' })).body.reasoning_effort).toBe('high');
    expect((await turn(await session(), { thinking: ' Medium ' })).body.reasoning_effort).toBe('medium');
  });

  it('omits reasoning_effort for a non-reasoning model, and the run still succeeds', async () => {
    const sent = await turn(await session('main', { model: 'fake/plain-model' }), { thinking: 'high' });
    expect(sent.body.model).toBe('plain-model');
    expect(sent.body).not.toHaveProperty('reasoning_effort');
  });

  it('`off` sends no reasoning_effort, even with a configured default', async () => {
    const sent = await turn(await session(), { thinking: 'off' });
    expect(sent.body).not.toHaveProperty('reasoning_effort');
  });

  it('refuses an unknown level up front with INVALID_REQUEST naming the accepted levels', async () => {
    const before = upstream.requests.length;
    const res = await chatSend(ws, await session(), 'never sent', uniqueKey('run'), { thinking: 'extreme' });
    expect(res.ok).toBe(false);
    expect(res.error?.code).toBe('INVALID_REQUEST');
    expect(res.error?.message).toContain('extreme');
    for (const level of ['off', 'minimal', 'low', 'medium', 'high', 'xhigh']) expect(res.error?.message).toContain(level);
    expect(res.error?.details).toMatchObject({ code: 'INVALID_PARAMS', field: 'thinking' });
    // Nothing reached the model.
    expect(upstream.requests.length).toBe(before);
  });
});

describe('thinking level fallbacks', () => {
  it("uses the session's thinkingLevel (sessions.patch) when the run has none; the run's own level wins", async () => {
    const key = await session('main', { thinkingLevel: 'medium' });
    expect((await turn(key)).body.reasoning_effort).toBe('medium');
    expect((await turn(key, { thinking: 'high' })).body.reasoning_effort).toBe('high');
  });

  it('a session thinkingLevel of off turns the configured default off', async () => {
    const key = await session('main', { thinkingLevel: 'off' });
    expect((await turn(key)).body).not.toHaveProperty('reasoning_effort');
  });

  it("falls back to the agent's thinkingDefault, then agents.defaults.thinkingDefault", async () => {
    expect((await turn(await session('main'))).body.reasoning_effort).toBe('low');
    expect((await turn(await session('helper'))).body.reasoning_effort).toBe('minimal');
  });

  it('clearing the session level (null) goes back to the default', async () => {
    const key = await session('main', { thinkingLevel: 'high' });
    expect((await turn(key)).body.reasoning_effort).toBe('high');
    const cleared = await call(ws, 'sessions.patch', { key, thinkingLevel: null });
    expect(cleared.ok, JSON.stringify(cleared.error)).toBe(true);
    expect((await turn(key)).body.reasoning_effort).toBe('low');
  });
});

describe('thinking level on sessions.patch', () => {
  it('an unknown thinkingLevel is refused naming the accepted levels, and nothing is stored', async () => {
    const key = `agent:main:${uniqueKey('think')}`;
    const res = await call(ws, 'sessions.patch', { key, thinkingLevel: 'galaxy-brain' });
    expect(res.ok).toBe(false);
    expect(res.error).toMatchObject({ code: 'INVALID_REQUEST', details: { code: 'INVALID_PARAMS', field: 'thinkingLevel', accepted: expect.arrayContaining(['off', 'high']) } });
    const list = await call(ws, 'sessions.list', {});
    expect(JSON.stringify(list.payload)).not.toContain('galaxy-brain');
  });
});

describe('thinking level on agent', () => {
  /** Sends `agent` and returns its final res frame (after the `accepted` one). */
  async function agentCall(params: Record<string, unknown>): Promise<Frame> {
    const id = uniqueKey('agent');
    ws.send({ type: 'req', id, method: 'agent', params: { idempotencyKey: id, ...params } });
    for (;;) {
      const frame = await ws.waitFor((f) => f.type === 'res' && f.id === id, 15_000);
      if (frame.ok && frame.payload?.status === 'accepted') continue;
      return frame;
    }
  }

  it('passes a valid level on and refuses an unknown one', async () => {
    const marker = uniqueKey('msg');
    const ok = await agentCall({ message: marker, sessionKey: await session(), thinking: 'medium' });
    expect(ok.ok, JSON.stringify(ok.error)).toBe(true);
    expect(sentFor(marker).body.reasoning_effort).toBe('medium');

    const bad = await agentCall({ message: 'never sent', sessionKey: await session(), thinking: 'max' });
    expect(bad.ok).toBe(false);
    expect(bad.error?.code).toBe('INVALID_REQUEST');
    expect(bad.error?.message).toContain('xhigh');
  });
});

describe('offline provider', () => {
  it('ignores the thinking level', async () => {
    const collect = async (request: ModelRequest): Promise<ModelStreamEvent[]> => {
      const events: ModelStreamEvent[] = [];
      for await (const e of new OfflineProvider().stream(request)) events.push(e);
      return events;
    };
    const base: ModelRequest = { model: 'echo', messages: [{ role: 'user', content: 'hello' }], tools: [], signal: new AbortController().signal };
    const withThinking: ModelRequest = Object.assign({}, base, { thinking: 'xhigh' as const });
    expect(await collect(withThinking)).toEqual(await collect(base));
  });
});

describe('thinking level over the OpenAI-compatible HTTP API (openai SDK)', () => {
  const sdk = (): OpenAI => new OpenAI({ baseURL: `${gw.httpUrl}/v1`, apiKey: gw.token, maxRetries: 0 });

  it('chat completions: reasoning_effort reaches the model; "none" switches the default off', async () => {
    const high = uniqueKey('http');
    await sdk().chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: high }], reasoning_effort: 'high' });
    expect(sentFor(high).body.reasoning_effort).toBe('high');
    const none = uniqueKey('http');
    await sdk().chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: none }], reasoning_effort: 'none' as 'low' });
    expect(sentFor(none).body.reasoning_effort).toBeUndefined();
  });

  it('responses: reasoning.effort reaches the model', async () => {
    const marker = uniqueKey('http');
    await sdk().responses.create({ model: 'openclaw', input: marker, reasoning: { effort: 'medium' } });
    expect(sentFor(marker).body.reasoning_effort).toBe('medium');
  });

  it('an unknown effort is a 400 naming the parameter, and nothing reaches the model', async () => {
    const before = upstream.requests.length;
    const error = await sdk()
      .chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }], reasoning_effort: 'galaxy' as 'low' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toContain('reasoning_effort');
    expect(upstream.requests.length).toBe(before);
  });
});

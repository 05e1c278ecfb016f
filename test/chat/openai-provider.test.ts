// The OpenAI-compatible provider and the model catalog against the fake upstream, without a gateway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelCatalog } from '../../server/models/model-catalog.js';
import type { ModelStreamEvent } from '../../server/providers/model-types.js';
import { OpenAiCompatibleProvider } from '../../server/providers/openai-compatible-provider.js';
import { ProviderError } from '../../server/providers/provider-error.js';
import { startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';

let upstream: FakeOpenAiServer;
beforeAll(async () => {
  upstream = await startFakeOpenAi({ apiKey: 'sk-test' });
});
afterAll(() => upstream?.close());

async function collect(provider: OpenAiCompatibleProvider, signal = new AbortController().signal): Promise<ModelStreamEvent[]> {
  const events: ModelStreamEvent[] = [];
  for await (const e of provider.stream({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }], tools: [], signal })) events.push(e);
  return events;
}

describe('OpenAiCompatibleProvider', () => {
  const provider = () => new OpenAiCompatibleProvider({ id: 'fake', baseUrl: upstream.baseUrl, apiKey: () => 'sk-test' });

  it('sends the bearer key and stream options, and assembles text, tool calls and usage', async () => {
    upstream.enqueue({ text: 'a b', toolCalls: [{ name: 'f', arguments: { x: 1 }, id: 'c1' }], usage: { prompt_tokens: 7, completion_tokens: 3, cached_tokens: 2 } });
    const events = await collect(provider());
    expect(events).toEqual([
      { type: 'text', text: 'a ' },
      { type: 'text', text: 'b' },
      { type: 'usage', usage: { input: 5, output: 3, cacheRead: 2, cacheWrite: 0 } },
      // Tool calls stream in pieces; each is emitted once complete, at the end.
      { type: 'tool_call', call: { id: 'c1', name: 'f', arguments: '{"x":1}' } },
      { type: 'stop', reason: 'tool_calls' },
    ]);
    const req = upstream.requests.at(-1)!;
    expect(req.headers.authorization).toBe('Bearer sk-test');
    expect(req.body).toMatchObject({ model: 'fake-model', stream: true, stream_options: { include_usage: true } });
  });

  it('reads a plain JSON answer from a server that ignores stream:true', async () => {
    upstream.enqueue({ text: 'whole answer', json: true });
    const events = await collect(provider());
    expect(events.filter((e) => e.type === 'text')).toEqual([{ type: 'text', text: 'whole answer' }]);
    expect(events.at(-1)).toEqual({ type: 'stop', reason: 'stop' });
  });

  it('reuses one keep-alive connection across calls', async () => {
    const p = provider();
    const before = upstream.requests.length;
    for (let i = 0; i < 4; i++) {
      upstream.enqueue({ text: `n${i}` });
      await collect(p);
    }
    const ports = new Set(upstream.requests.slice(before).map((r) => r.remotePort));
    expect(ports.size).toBe(1);
  });

  it('reports a wrong key as an auth error naming the config key', async () => {
    const bad = new OpenAiCompatibleProvider({ id: 'fake', baseUrl: upstream.baseUrl, apiKey: () => 'sk-wrong' });
    const error = await collect(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('auth');
    expect((error as ProviderError).message).toContain('models.providers.fake.apiKey');
    expect((error as ProviderError).message).not.toContain('sk-wrong');
  });

  it('an aborted signal ends the stream as kind aborted', async () => {
    upstream.enqueue({ text: 'a b c d e f', chunkDelayMs: 100 });
    const controller = new AbortController();
    const events: ModelStreamEvent[] = [];
    const error = await (async () => {
      for await (const e of provider().stream({ model: 'fake-model', messages: [{ role: 'user', content: 'x' }], tools: [], signal: controller.signal })) {
        events.push(e);
        controller.abort();
      }
    })().catch((e: unknown) => e);
    expect((error as ProviderError).kind).toBe('aborted');
    expect(events).toHaveLength(1);
  });
});

describe('ModelCatalog', () => {
  const catalog = new ModelCatalog(() => ({
    models: {
      providers: {
        local: { baseUrl: 'http://127.0.0.1:1/v1', models: [{ id: 'llama3', name: 'Llama 3', contextWindow: 8192, cost: { input: 1, output: 2 } }, { id: 'qwen' }] },
        router: { baseUrl: 'http://127.0.0.1:2/v1', models: [{ id: 'openai/gpt-4o' }] },
        claude: { baseUrl: 'http://127.0.0.1:3', api: 'anthropic-messages', models: [{ id: 'c' }] },
      },
    },
    agents: { defaults: { model: 'local/llama3', models: { 'local/llama3': { alias: 'fast' }, 'router/openai/gpt-4o': {} } }, list: [{ id: 'writer', model: { primary: 'router/openai/gpt-4o' } }] },
  }), {});

  it('lists the allowlisted models with aliases', () => {
    expect(catalog.list()).toEqual([
      { id: 'llama3', name: 'Llama 3', provider: 'local', alias: 'fast', contextWindow: 8192 },
      { id: 'openai/gpt-4o', name: 'openai/gpt-4o', provider: 'router' },
    ]);
  });

  it('resolves defaults, per-agent models, aliases, model ids with slashes, and bare ids', () => {
    expect(catalog.resolve(undefined, 'main')).toMatchObject({ ref: 'local/llama3', providerId: 'local', modelId: 'llama3', price: { input: 1, output: 2, cacheRead: 0 } });
    expect(catalog.resolve(undefined, 'writer')).toMatchObject({ providerId: 'router', modelId: 'openai/gpt-4o', price: undefined });
    expect(catalog.resolve('fast').ref).toBe('local/llama3');
    expect(catalog.resolve('qwen').ref).toBe('local/qwen');
    expect(catalog.resolve('offline/echo').providerId).toBe('offline');
    expect(() => catalog.resolve('nowhere/x')).toThrow(/unknown model/);
  });

  it('a provider with an unsupported api fails its calls with a config error', async () => {
    const model = catalog.resolve('claude/c');
    const error = await (async () => {
      for await (const _ of model.provider.stream({ model: 'c', messages: [], tools: [], signal: new AbortController().signal })) void _;
    })().catch((e: unknown) => e);
    expect((error as ProviderError).kind).toBe('config');
    expect((error as ProviderError).message).toContain('openai-completions');
  });
});

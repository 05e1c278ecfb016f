// POST /v1/embeddings through the official openai SDK: the agent picked by `model`, the embedding
// model from its memorySearch (a models.providers entry, or a remote server of its own), float and
// base64 encodings, dimensions, x-openclaw-model, upstream's input limits, and clear errors.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingsResponse } from '../../contract/schemas/openai-http.js';
import { fakeEmbedding, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import type { RunningGateway } from '../helpers/gateway-targets.js';
import { bearer, failure, postJson, startAgentGateway, startHttpGateway, type AgentGateway } from './http-gateway.js';


let t: AgentGateway;
let remote: FakeOpenAiServer;
/** An embeddings server that answers 200 with the JSON `null`. */
let odd: Server;
beforeAll(async () => {
  remote = await startFakeOpenAi({ apiKey: 'remote-key-123' });
  odd = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('null'));
  await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));
  const oddUrl = `http://127.0.0.1:${(odd.address() as AddressInfo).port}/v1`;
  t = await startAgentGateway({
    models: { providers: { alt: { baseUrl: remote.baseUrl, models: [{ id: 'alt-model' }] } } },
    agents: {
      defaults: { memorySearch: { provider: 'fake', model: 'fake-embed' } },
      list: [
        { id: 'main', default: true },
        { id: 'ops', memorySearch: { model: 'ops-embed', remote: { baseUrl: remote.baseUrl, apiKey: 'remote-key-123' } } },
        { id: 'odd', memorySearch: { model: 'm', remote: { baseUrl: oddUrl } } },
        { id: 'broken', memorySearch: { model: 'm', remote: { baseUrl: 'ollama/v1' } } },
      ],
    },
  });
});
afterAll(async () => {
  await t?.stop();
  await remote?.close();
  await new Promise((resolve) => odd?.close(resolve));
});

describe('/v1/embeddings via the openai SDK', () => {
  it('one vector per input from the default agent\'s embedding model, in float and base64 encodings', async () => {
    const texts = ['first text', 'second, longer text'];
    const floats = await t.openai.embeddings.create({ model: 'openclaw', input: texts, encoding_format: 'float' });
    EmbeddingsResponse.parse(floats);
    expect(floats.model).toBe('openclaw');
    expect(floats.data.map((d) => d.embedding)).toEqual(texts.map((text) => fakeEmbedding(text)));
    expect(floats.usage).toEqual({ prompt_tokens: 5, total_tokens: 5 });
    const sent = t.upstream.embeddingRequests.at(-1)!;
    expect(sent.body).toMatchObject({ model: 'fake-embed', input: texts, encoding_format: 'float' });

    // The SDK asks for base64 by default and decodes the float32 values itself.
    const decoded = await t.openai.embeddings.create({ model: 'openclaw', input: 'just one' });
    expect(decoded.data).toHaveLength(1);
    fakeEmbedding('just one').forEach((value, i) => expect(decoded.data[0]!.embedding[i]).toBeCloseTo(value, 6));
    const raw = await postJson(`${t.gw.httpUrl}/v1/embeddings`, { model: 'openclaw', input: 'just one', encoding_format: 'base64' }, bearer(t.gw.token));
    const encoded = ((await raw.json()) as { data: { embedding: string }[] }).data[0]!.embedding;
    const bytes = Buffer.from(encoded, 'base64');
    expect(Array.from(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)))).toEqual(Array.from(Float32Array.from(fakeEmbedding('just one'))));
  });

  it('dimensions reach the model; x-openclaw-model picks another model of the same provider, never another provider', async () => {
    const sized = await t.openai.embeddings.create({ model: 'openclaw', input: 'x', dimensions: 8, encoding_format: 'float' });
    expect(sized.data[0]!.embedding).toHaveLength(8);
    expect(t.upstream.embeddingRequests.at(-1)!.body.dimensions).toBe(8);
    await t.openai.embeddings.create({ model: 'openclaw', input: 'x' }, { headers: { 'x-openclaw-model': 'fake/other-embed' } });
    expect(t.upstream.embeddingRequests.at(-1)!.body.model).toBe('other-embed');
    const other = await failure(t.openai.embeddings.create({ model: 'openclaw', input: 'x' }, { headers: { 'x-openclaw-model': 'alt/e5' } }));
    expect(other.status).toBe(400);
    expect((other.error as { message: string }).message).toContain('not "alt"');
    // A slash that names no provider is part of the model id (Hugging Face style).
    await t.openai.embeddings.create({ model: 'openclaw', input: 'x' }, { headers: { 'x-openclaw-model': 'BAAI/bge-m3' } });
    expect(t.upstream.embeddingRequests.at(-1)!.body.model).toBe('BAAI/bge-m3');
  });

  it("an agent's own memorySearch.remote is used, with its API key", async () => {
    const before = t.upstream.embeddingRequests.length;
    const answer = await t.openai.embeddings.create({ model: 'openclaw/ops', input: ['a', 'b', 'c'], encoding_format: 'float' });
    expect(answer.data.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(remote.embeddingRequests.at(-1)!.body.model).toBe('ops-embed');
    expect(remote.embeddingRequests.at(-1)!.headers.authorization).toBe('Bearer remote-key-123');
    expect(t.upstream.embeddingRequests.length).toBe(before);
  });

  it.each<[string, string | string[], string]>([
    ['more than 128 inputs', Array.from({ length: 129 }, () => 'x'), 'Too many inputs (max 128).'],
    ['an input over 8,192 characters', ['y'.repeat(8193)], 'Input too long (max 8192 chars).'],
    ['more than 65,536 characters in all', Array.from({ length: 9 }, () => 'z'.repeat(8000)), 'Total input too large (max 65536 chars).'],
    ['no input', [], '`input` is empty'],
  ])('%s: 400 with upstream\'s message, nothing sent on', async (_what, input, message) => {
    const before = t.upstream.embeddingRequests.length;
    const error = await failure(t.openai.embeddings.create({ model: 'openclaw', input }));
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ type: 'invalid_request_error', param: 'input', message: expect.stringContaining(message) });
    expect(t.upstream.embeddingRequests.length).toBe(before);
  });

  it('an unknown agent is a 400; a failing embeddings server a 502 naming it; no token a 401', async () => {
    const unknown = await failure(t.openai.embeddings.create({ model: 'openclaw/nobody', input: 'x' }));
    expect(unknown.status).toBe(400);
    const client = new OpenAI({ baseURL: `${t.gw.httpUrl}/v1`, apiKey: t.gw.token, maxRetries: 0 });
    const failed = await failure(client.embeddings.create({ model: 'openclaw', input: 'please FAIL' }));
    expect(failed.status).toBe(502);
    expect(failed.error).toMatchObject({ type: 'api_error', message: 'Embeddings failed: models.providers.fake answered HTTP 500.' });
    const res = await postJson(`${t.gw.httpUrl}/v1/embeddings`, { model: 'openclaw', input: 'x' });
    expect(res.status).toBe(401);
  });

  it('an answer that is not an object, or a baseUrl that is no URL: a 502 saying so, never a 500', async () => {
    const client = new OpenAI({ baseURL: `${t.gw.httpUrl}/v1`, apiKey: t.gw.token, maxRetries: 0 });
    const nullAnswer = await failure(client.embeddings.create({ model: 'openclaw/odd', input: 'x' }));
    expect(nullAnswer.status).toBe(502);
    expect((nullAnswer.error as { message: string }).message).toContain('JSON that is not an object');
    const badUrl = await failure(client.embeddings.create({ model: 'openclaw/broken', input: 'x' }));
    expect(badUrl.status).toBe(502);
    expect((badUrl.error as { message: string }).message).toContain('baseUrl is not a URL');
  });
});

describe('/v1/embeddings without an embedding model', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startHttpGateway();
  });
  afterAll(() => gw?.stop());

  it('answers 400 naming the config keys to set', async () => {
    const res = await postJson(`${gw.httpUrl}/v1/embeddings`, { model: 'openclaw', input: 'x' }, bearer(gw.token));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('set agents.defaults.memorySearch.model');
  });
});

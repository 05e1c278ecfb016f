// x-openclaw-model and image limits on /v1/chat/completions and /v1/responses, through the official
// SDK against a real gateway and fake upstream: allowed overrides reach the upstream, unknown ones
// are a 400 naming the model; images are bounded (count, per-image and total bytes, media type,
// URL scheme, whether URLs are allowed and from which hosts) and refused clearly when the turn's model cannot read them.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkImages } from '../../server/http/image-limits.js';
import { resolveModelOverride } from '../../server/http/model-override.js';
import { DEFAULT_OPENAI_ENDPOINT_SETTINGS } from '../../server/http/openai-endpoint-settings.js';
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import type { RunningGateway } from '../helpers/gateway-targets.js';
import { failure, startAgentGateway, startHttpGateway, type AgentGateway } from './http-gateway.js';

const dataUrl = (bytes: number, mime = 'image/png'): string => `data:${mime};base64,${Buffer.alloc(bytes, 7).toString('base64')}`;
const imagePart = (url: string) => ({ type: 'image_url' as const, image_url: { url } });
const userWithImages = (...urls: string[]) => [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'look' }, ...urls.map(imagePart)] }];


let t: AgentGateway;
beforeAll(async () => {
  t = await startAgentGateway({
    models: { providers: { fake: { models: [{ id: 'fake-model' }, { id: 'fake-mini', input: ['text'] }] } } },
    gateway: {
      http: {
        endpoints: {
          chatCompletions: { maxTotalImageBytes: 1500, images: { maxBytes: 1024 } },
          responses: { maxImageParts: 2, images: { maxBytes: 1024, urlAllowlist: ['*.example.test'] } },
        },
      },
    },
  });
});
afterAll(() => t?.stop());

describe('x-openclaw-model', () => {
  it('an allowed <provider>/<model> or bare model id reaches the upstream, on both endpoints', async () => {
    await t.openai.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-openclaw-model': 'fake/fake-mini' } });
    expect(t.upstream.requests.at(-1)!.body.model).toBe('fake-mini');
    await t.openai.responses.create({ model: 'openclaw', input: 'hi' }, { headers: { 'x-openclaw-model': 'fake-mini' } });
    expect(t.upstream.requests.at(-1)!.body.model).toBe('fake-mini');
    await t.openai.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'hi' }] });
    expect(t.upstream.requests.at(-1)!.body.model).toBe('fake-model');
  });

  it('an unknown model: 400 invalid_request_error naming it, and nothing reaches the upstream', async () => {
    const before = t.upstream.requests.length;
    const chat = await failure(
      t.openai.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-openclaw-model': 'fake/gpt-9' } }),
    );
    const responses = await failure(t.openai.responses.create({ model: 'openclaw', input: 'hi' }, { headers: { 'x-openclaw-model': 'other/model' } }));
    for (const [error, model] of [
      [chat, 'fake/gpt-9'],
      [responses, 'other/model'],
    ] as const) {
      expect(error.status).toBe(400);
      expect(error.error).toMatchObject({ type: 'invalid_request_error', param: 'x-openclaw-model', code: 'model_not_found' });
      expect((error.error as { message: string }).message).toContain(`Model "${model}"`);
      expect((error.error as { message: string }).message).toContain('fake/fake-model');
    }
    expect(t.upstream.requests.length).toBe(before);
  });
});

describe('images on /v1/chat/completions', () => {
  it('a small inline image goes to the upstream as an image_url part', async () => {
    const url = dataUrl(600);
    await t.openai.chat.completions.create({ model: 'openclaw', messages: userWithImages(url) });
    const last = t.upstream.requests.at(-1)!.body.messages!.at(-1)!;
    expect(last.content).toEqual([
      { type: 'text', text: 'look' },
      { type: 'image_url', image_url: { url } },
    ]);
  });

  it.each([
    ['more than maxImageParts (default 8)', Array.from({ length: 9 }, () => 'https://example.invalid/cat.png'), 400, 'Too many images: 9 image parts, at most 8'],
    ['one image over images.maxBytes', [dataUrl(2000)], 413, 'images.maxBytes'],
    ['images over maxTotalImageBytes together', [dataUrl(1000), dataUrl(1000)], 413, 'maxTotalImageBytes'],
    ['a media type outside images.allowedMimes', [dataUrl(10, 'image/svg+xml')], 400, 'image/svg+xml'],
    ['a data: URL that is not base64', ['data:image/png,rawbytes'], 400, 'without ;base64'],
    ['a URL scheme other than http(s) or data:', ['file:///etc/passwd'], 400, 'http(s) URL or a base64 data: URL'],
  ])('%s: %i naming the limit', async (_what, urls, status, text) => {
    const before = t.upstream.requests.length;
    const error = await failure(t.openai.chat.completions.create({ model: 'openclaw', messages: userWithImages(...urls) }));
    expect(error.status).toBe(status);
    expect(error.error).toMatchObject({ type: status === 413 ? 'payload_too_large' : 'invalid_request_error', param: 'messages' });
    expect((error.error as { message: string }).message).toContain(text);
    expect(t.upstream.requests.length).toBe(before);
  });

  it('an image URL is refused by default (upstream: images.allowUrl false on Chat Completions), naming the key', async () => {
    const error = await failure(t.openai.chat.completions.create({ model: 'openclaw', messages: userWithImages('https://images.example.test/cat.png') }));
    expect(error.status).toBe(400);
    expect((error.error as { message: string }).message).toContain('set gateway.http.endpoints.chatCompletions.images.allowUrl to true');
  });

  it('a model whose configured input lacks "image": 400 images_not_supported', async () => {
    const error = await failure(
      t.openai.chat.completions.create({ model: 'openclaw', messages: userWithImages(dataUrl(10)) }, { headers: { 'x-openclaw-model': 'fake/fake-mini' } }),
    );
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ type: 'invalid_request_error', code: 'images_not_supported' });
    expect((error.error as { message: string }).message).toContain('"fake/fake-mini" takes only text');
  });
});

describe('images on /v1/responses', () => {
  const inputImage = (data: string) => ({ type: 'input_image' as const, image_url: data, detail: 'auto' as const });

  it('within the limits the image reaches the upstream', async () => {
    const url = dataUrl(100, 'image/jpeg');
    await t.openai.responses.create({ model: 'openclaw', input: [{ role: 'user', content: [{ type: 'input_text', text: 'see' }, inputImage(url)] }] });
    expect(t.upstream.requests.at(-1)!.body.messages!.at(-1)!.content).toEqual([
      { type: 'text', text: 'see' },
      { type: 'image_url', image_url: { url } },
    ]);
  });

  it('image URLs are allowed on Responses, within images.urlAllowlist, and go to the upstream as they are', async () => {
    const listed = 'https://cdn.example.test/cat.png';
    await t.openai.responses.create({ model: 'openclaw', input: [{ role: 'user', content: [{ type: 'input_text', text: 'see' }, inputImage(listed)] }] });
    expect(t.upstream.requests.at(-1)!.body.messages!.at(-1)!.content).toContainEqual({ type: 'image_url', image_url: { url: listed } });
    const other = await failure(t.openai.responses.create({ model: 'openclaw', input: [{ role: 'user', content: [inputImage('https://elsewhere.test/cat.png')] }] }));
    expect(other.status).toBe(400);
    expect((other.error as { message: string }).message).toContain('host elsewhere.test, which is not on gateway.http.endpoints.responses.images.urlAllowlist');
    // Parsers disagree on the host of such URLs, so they are not passed on at all.
    for (const tricky of ['https://cdn.example.test\\@evil.test/cat.png', 'https://cdn.example.test@evil.test/cat.png', 'https://cdn.example.test/a b.png']) {
      const refused = await failure(t.openai.responses.create({ model: 'openclaw', input: [{ role: 'user', content: [inputImage(tricky)] }] }));
      expect(refused.status).toBe(400);
      expect((refused.error as { message: string }).message).toContain('credentials, spaces or backslashes');
    }
  });

  it('too many parts: 400; too large: 413, each naming the responses config key', async () => {
    const many = await failure(
      t.openai.responses.create({ model: 'openclaw', input: [{ role: 'user', content: [inputImage(dataUrl(10)), inputImage(dataUrl(10)), inputImage(dataUrl(10))] }] }),
    );
    expect(many.status).toBe(400);
    expect((many.error as { message: string }).message).toContain('gateway.http.endpoints.responses.maxImageParts');
    const big = await failure(t.openai.responses.create({ model: 'openclaw', input: [{ role: 'user', content: [inputImage(dataUrl(4096))] }] }));
    expect(big.status).toBe(413);
    expect(big.error).toMatchObject({ type: 'payload_too_large', param: 'input' });
    expect((big.error as { message: string }).message).toContain('gateway.http.endpoints.responses.images.maxBytes');
  });
});

describe('images with the built-in offline model', () => {
  let gw: RunningGateway;
  let openai: OpenAI;
  beforeAll(async () => {
    gw = await startHttpGateway();
    openai = new OpenAI({ baseURL: `${gw.httpUrl}/v1`, apiKey: gw.token, maxRetries: 0 });
  });
  afterAll(() => gw?.stop());

  it('say clearly that the offline responder cannot read images; text still works', async () => {
    const error = await failure(openai.chat.completions.create({ model: 'openclaw', messages: userWithImages(dataUrl(10)) }));
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ code: 'images_not_supported' });
    expect((error.error as { message: string }).message).toContain('offline responder, which cannot read images');
    const text = await openai.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'hello' }] });
    expect(text.choices[0]!.message.content).toContain('hello');
  });
});

describe('resolveModelOverride and checkImages', () => {
  const catalog = (choices: { id: string; provider: string; alias?: string }[], defaultRef = 'a/one') => ({
    list: () => choices.map((c) => ({ ...c, name: c.id })),
    defaultRef: () => defaultRef,
  });

  it('with an allowlist: its refs, their aliases and the agent fallbacks; other configured models are refused', () => {
    const config = { agents: { defaults: { models: { 'a/one': { alias: 'fast' } }, model: { primary: 'a/one', fallbacks: ['b/spare'] } } } } as unknown as OpenClawConfig;
    const source = catalog([{ id: 'one', provider: 'a', alias: 'fast' }]);
    expect(resolveModelOverride('fast', source, config, 'main')).toEqual({ ok: true, ref: 'a/one' });
    expect(resolveModelOverride(' a/one ', source, config, 'main')).toEqual({ ok: true, ref: 'a/one' });
    expect(resolveModelOverride('b/spare', source, config, 'main')).toEqual({ ok: true, ref: 'b/spare' });
    const refused = resolveModelOverride('a/two', source, config, 'main');
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining('(from agents.defaults.models)') });
  });

  it('a bare model id must name exactly one allowed model', () => {
    const source = catalog([
      { id: 'same', provider: 'a' },
      { id: 'same', provider: 'b' },
      { id: 'only', provider: 'b' },
    ]);
    const config = {} as OpenClawConfig;
    expect(resolveModelOverride('only', source, config, 'main')).toEqual({ ok: true, ref: 'b/only' });
    expect(resolveModelOverride('same', source, config, 'main').ok).toBe(false);
  });

  it('checkImages counts base64 sources and allows zero-image requests', () => {
    const limits = { ...DEFAULT_OPENAI_ENDPOINT_SETTINGS.images, maxBytesPerImage: 100 };
    expect(checkImages([], limits, 'responses')).toEqual({ ok: true, count: 0 });
    expect(checkImages([{ mime: 'image/png', base64: 'A'.repeat(132) }], limits, 'responses')).toEqual({ ok: true, count: 1 });
    expect(checkImages([{ mime: 'image/png', base64: 'A'.repeat(136) }], limits, 'responses')).toMatchObject({ ok: false, status: 413 });
  });
});

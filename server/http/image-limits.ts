// Bounds on the images of one OpenAI-compatible request (`image_url` parts of Chat Completions,
// `input_image` parts of Responses): how many, how large each inline image is and how large they
// are together, which media types, which URL schemes, whether URLs are allowed at all. Image URLs
// are handed to the model provider as they are; the gateway does not fetch images. Checked on the parsed body, before any conversion.
import type { ChatCompletionRequest, ResponseCreateRequest } from '../../contract/schemas/openai-http.js';
import type { ImageLimits, OpenAiEndpoint } from './openai-endpoint-settings.js';
import { parseDataUrl } from './data-url.js';
import { hostAllowlisted } from './remote-fetch.js';

/** An image as the request gives it: a URL, or inline base64 with its media type. */
export type ImageRef = { readonly url: string } | { readonly mime: string; readonly base64: string };

export type ImageCheck = { readonly ok: true; readonly count: number } | { readonly ok: false; readonly status: 400 | 413; readonly message: string };

const MIB = 1024 * 1024;

/** Decoded size of base64 text (padding and whitespace make it a slight over-estimate, never an under-estimate of the limit). */
const decodedBytes = (base64Length: number): number => Math.floor((base64Length * 3) / 4);

const sizeText = (bytes: number): string => (bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${bytes} bytes`);

export function chatCompletionImages(messages: ChatCompletionRequest['messages']): ImageRef[] {
  const images: ImageRef[] = [];
  for (const m of messages) {
    if (!Array.isArray(m.content)) continue;
    for (const part of m.content) if (part.type === 'image_url') images.push({ url: part.image_url.url });
  }
  return images;
}

export function responseInputImages(input: ResponseCreateRequest['input']): ImageRef[] {
  const images: ImageRef[] = [];
  if (typeof input === 'string') return images;
  for (const item of input) {
    if ('type' in item && item.type !== undefined && item.type !== 'message') continue;
    const content = (item as { content?: unknown }).content;
    if (!Array.isArray(content)) continue;
    for (const part of content as { type: string; source?: { type: string; url?: string; media_type?: string; data?: string }; image_url?: string }[]) {
      if (part.type !== 'input_image') continue;
      if (part.source?.type === 'base64') images.push({ mime: part.source.media_type ?? '', base64: part.source.data ?? '' });
      else if (part.source?.type === 'url') images.push({ url: part.source.url ?? '' });
      else if (part.image_url !== undefined) images.push({ url: part.image_url });
    }
  }
  return images;
}

/** The host of an http(s) URL every parser reads alike, or undefined for one they could read differently. */
function plainHostOf(url: string): string | undefined {
  // Backslashes, whitespace, controls and credentials are where URL parsers disagree (WHATWG reads
  // `https://a.test\@b.test/` as host a.test, others as b.test): such a URL is not passed on.
  if (/[\\\s\u0000-\u001f\u007f]/.test(url)) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.username || parsed.password ? undefined : parsed.hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

type Inline = { mime: string; bytes: number } | { error: string } | undefined;

/** A data: URL's media type and decoded size (without copying it); undefined for other URLs. */
function inlineOf(image: ImageRef): Inline {
  if ('mime' in image) return { mime: image.mime.toLowerCase(), bytes: decodedBytes(image.base64.length) };
  const data = parseDataUrl(image.url);
  switch (data.kind) {
    case 'not-data':
      return undefined;
    case 'malformed':
      return { error: 'is a malformed data: URL; use data:<media type>;base64,<data>' };
    case 'not-base64':
      return { error: 'is a data: URL without ;base64; send the image base64-encoded' };
    default:
      return { mime: data.mime, bytes: decodedBytes(image.url.length - data.dataStart) };
  }
}

/** Checks the images of a request against the endpoint's limits; errors name the config key to raise. */
export function checkImages(images: readonly ImageRef[], limits: ImageLimits, endpoint: OpenAiEndpoint): ImageCheck {
  const key = `gateway.http.endpoints.${endpoint}`;
  if (images.length > limits.maxParts) {
    return { ok: false, status: 400, message: `Too many images: ${images.length} image parts, at most ${limits.maxParts} per request (${key}.maxImageParts).` };
  }
  let total = 0;
  for (const [i, image] of images.entries()) {
    const n = i + 1;
    const inline = inlineOf(image);
    if (inline === undefined) {
      const url = (image as { url: string }).url;
      if (!/^https?:\/\//i.test(url)) return { ok: false, status: 400, message: `Image ${n} must be an http(s) URL or a base64 data: URL.` };
      if (!limits.allowUrl) {
        return { ok: false, status: 400, message: `Image ${n} is a URL, and image URLs are off here; send it inline as a base64 data: URL, or set ${key}.images.allowUrl to true.` };
      }
      const host = plainHostOf(url);
      if (host === undefined) return { ok: false, status: 400, message: `Image ${n} URL has credentials, spaces or backslashes; send a plain http(s) URL.` };
      if (limits.urlAllowlist.length > 0 && !hostAllowlisted(host, limits.urlAllowlist)) {
        return { ok: false, status: 400, message: `Image ${n} names host ${host.slice(0, 100)}, which is not on ${key}.images.urlAllowlist.` };
      }
      continue;
    }
    if ('error' in inline) return { ok: false, status: 400, message: `Image ${n} ${inline.error}.` };
    if (!limits.allowedMimes.includes(inline.mime)) {
      return { ok: false, status: 400, message: `Image ${n} has media type "${inline.mime.slice(0, 100)}"; allowed are ${limits.allowedMimes.join(', ')} (${key}.images.allowedMimes).` };
    }
    if (inline.bytes > limits.maxBytesPerImage) {
      return { ok: false, status: 413, message: `Image ${n} is ${sizeText(inline.bytes)}; at most ${sizeText(limits.maxBytesPerImage)} per image (${key}.images.maxBytes).` };
    }
    total += inline.bytes;
    if (total > limits.maxTotalBytes) {
      return { ok: false, status: 413, message: `The images of this request exceed ${sizeText(limits.maxTotalBytes)} together (${key}.maxTotalImageBytes).` };
    }
  }
  return { ok: true, count: images.length };
}

/** Why the model cannot take images, or undefined when it can (or does not say). */
export function imageSupportProblem(model: { readonly ref: string; readonly providerId: string; readonly input: readonly string[] | undefined }, offlineProviderId: string): string | undefined {
  if (model.providerId === offlineProviderId) {
    return `This request has images, but the agent's model is the built-in offline responder, which cannot read images; configure a vision model under models.providers (or choose one with x-openclaw-model).`;
  }
  if (model.input && !model.input.includes('image')) {
    return `This request has images, but model "${model.ref}" takes only ${model.input.join(', ') || 'text'} (its "input" in models.providers); choose a model whose input includes "image".`;
  }
  return undefined;
}

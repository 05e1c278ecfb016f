// Limits of the two OpenAI-compatible endpoints, from `gateway.http.endpoints.<endpoint>` (typed in
// contract/schemas/config.ts, so a bad value stops the config loading; each has a default here):
//
//   maxImageParts         image parts per request (default 8, upstream's chat default)
//   maxTotalImageBytes    decoded bytes of all inline (data: URL / base64) images (default 20 MiB)
//   images.maxBytes       decoded bytes of one inline image (default 10 MiB)
//   images.allowedMimes   media types of inline images (default jpeg, png, gif, webp, heic, heif)
//   images.allowUrl       whether image parts may be http(s) URLs, which the model provider fetches
//                         (default false on chatCompletions, true on responses, as upstream)
//   images.urlAllowlist   hosts image URLs may name (default [] = any)
//   maxUrlParts           (responses) image and file parts given by URL per request (default 8)
//   files                 (responses) input_file parts: allowUrl (true), urlAllowlist ([] = any public
//                         host), allowedMimes (text/plain, text/markdown, text/html, text/csv,
//                         application/json), maxBytes (5 MiB), maxChars (200 000), maxRedirects (3),
//                         timeoutMs (10 s); files given by URL are fetched by the gateway
//   statelessSessions     {maxEntries (default 1000), ttlSeconds (default 6 h)}: how many sessions of
//                         requests that named no session (no x-openclaw-session-key, no `user`) are kept
//   storedResponses       (responses only) {maxEntries (default 1000), ttlSeconds (default 6 h)}: how many
//                         responses `previous_response_id` can continue, and for how long
//
// A config built in code without validation still gets the defaults for values of the wrong type.
import type { OpenClawConfig } from '../../contract/schemas/config.js';

export type OpenAiEndpoint = 'chatCompletions' | 'responses';

export interface ImageLimits {
  readonly maxParts: number;
  readonly maxTotalBytes: number;
  readonly maxBytesPerImage: number;
  readonly allowedMimes: readonly string[];
  /** Whether image parts may be http(s) URLs (handed to the provider as they are). */
  readonly allowUrl: boolean;
  /** Hosts image URLs may name; empty = any. */
  readonly urlAllowlist: readonly string[];
}

export interface FileLimits {
  readonly allowUrl: boolean;
  /** Hosts file URLs may name; empty = any public host. Hosts listed exactly (not by `*.`) may be private addresses. */
  readonly urlAllowlist: readonly string[];
  readonly allowedMimes: readonly string[];
  readonly maxBytes: number;
  /** Characters of decoded text per file. */
  readonly maxChars: number;
  readonly maxRedirects: number;
  readonly timeoutMs: number;
}

export interface RetentionLimits {
  readonly maxEntries: number;
  readonly ttlMs: number;
}

export interface OpenAiEndpointSettings {
  readonly images: ImageLimits;
  /** Image and file parts given by URL in one request. */
  readonly maxUrlParts: number;
  readonly files: FileLimits;
  readonly statelessSessions: RetentionLimits;
  readonly storedResponses: RetentionLimits;
}

const MIB = 1024 * 1024;
const SIX_HOURS_MS = 6 * 60 * 60 * 1000;

export const DEFAULT_IMAGE_MIMES: readonly string[] = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'image/heif'];

export const DEFAULT_FILE_MIMES: readonly string[] = ['text/plain', 'text/markdown', 'text/html', 'text/csv', 'application/json'];

export const DEFAULT_OPENAI_ENDPOINT_SETTINGS: OpenAiEndpointSettings = {
  images: { maxParts: 8, maxTotalBytes: 20 * MIB, maxBytesPerImage: 10 * MIB, allowedMimes: DEFAULT_IMAGE_MIMES, allowUrl: true, urlAllowlist: [] },
  maxUrlParts: 8,
  files: { allowUrl: true, urlAllowlist: [], allowedMimes: DEFAULT_FILE_MIMES, maxBytes: 5 * MIB, maxChars: 200_000, maxRedirects: 3, timeoutMs: 10_000 },
  // As many as the responses a `previous_response_id` can continue, so a continuable response keeps its transcript.
  statelessSessions: { maxEntries: 1000, ttlMs: SIX_HOURS_MS },
  storedResponses: { maxEntries: 1000, ttlMs: SIX_HOURS_MS },
};

type Loose = Record<string, unknown>;

const objectOf = (value: unknown): Loose | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : undefined);

/** A non-negative integer (0 allowed: "keep none" / "accept no images"), else the fallback. */
const countOf = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fallback);

const secondsOf = (value: unknown, fallbackMs: number): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value * 1000 : fallbackMs);

function retentionOf(value: unknown, fallback: RetentionLimits): RetentionLimits {
  const o = objectOf(value);
  return { maxEntries: countOf(o?.maxEntries, fallback.maxEntries), ttlMs: secondsOf(o?.ttlSeconds, fallback.ttlMs) };
}

/** Upstream's one difference between the endpoints' defaults: Chat Completions refuses image URLs. */
const DEFAULTS: Record<OpenAiEndpoint, OpenAiEndpointSettings> = {
  chatCompletions: Object.assign({}, DEFAULT_OPENAI_ENDPOINT_SETTINGS, { images: Object.assign({}, DEFAULT_OPENAI_ENDPOINT_SETTINGS.images, { allowUrl: false }) }),
  responses: DEFAULT_OPENAI_ENDPOINT_SETTINGS,
};

const booleanOf = (value: unknown, fallback: boolean): boolean => (typeof value === 'boolean' ? value : fallback);

const positiveOf = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback);

/** A list of non-empty strings, lower-cased; else the fallback. */
function namesOf(value: unknown, fallback: readonly string[]): readonly string[] {
  return Array.isArray(value) && value.every((m) => typeof m === 'string' && m !== '') ? value.map((m: string) => m.toLowerCase()) : fallback;
}

function filesOf(value: unknown, d: FileLimits): FileLimits {
  const o = objectOf(value);
  if (!o) return d;
  return {
    allowUrl: booleanOf(o.allowUrl, d.allowUrl),
    urlAllowlist: namesOf(o.urlAllowlist, d.urlAllowlist),
    allowedMimes: namesOf(o.allowedMimes, d.allowedMimes),
    maxBytes: countOf(o.maxBytes, d.maxBytes),
    maxChars: countOf(o.maxChars, d.maxChars),
    maxRedirects: countOf(o.maxRedirects, d.maxRedirects),
    timeoutMs: positiveOf(o.timeoutMs, d.timeoutMs),
  };
}

// Read once per config object (a reload brings a new one), not once per request.
const cache = new WeakMap<OpenClawConfig, Partial<Record<OpenAiEndpoint, OpenAiEndpointSettings>>>();

export function openAiEndpointSettings(config: OpenClawConfig, endpoint: OpenAiEndpoint): OpenAiEndpointSettings {
  let byEndpoint = cache.get(config);
  if (!byEndpoint) cache.set(config, (byEndpoint = {}));
  return (byEndpoint[endpoint] ??= readSettings(config, endpoint));
}

function readSettings(config: OpenClawConfig, endpoint: OpenAiEndpoint): OpenAiEndpointSettings {
  const d = DEFAULTS[endpoint];
  const section = objectOf(objectOf(config.gateway?.http?.endpoints)?.[endpoint]);
  if (!section) return d;
  const images = objectOf(section.images);
  return {
    images: {
      maxParts: countOf(section.maxImageParts, d.images.maxParts),
      maxTotalBytes: countOf(section.maxTotalImageBytes, d.images.maxTotalBytes),
      maxBytesPerImage: countOf(images?.maxBytes, d.images.maxBytesPerImage),
      allowedMimes: namesOf(images?.allowedMimes, d.images.allowedMimes),
      allowUrl: booleanOf(images?.allowUrl, d.images.allowUrl),
      urlAllowlist: namesOf(images?.urlAllowlist, d.images.urlAllowlist),
    },
    maxUrlParts: countOf(section.maxUrlParts, d.maxUrlParts),
    files: filesOf(section.files, d.files),
    statelessSessions: retentionOf(section.statelessSessions, d.statelessSessions),
    storedResponses: retentionOf(section.storedResponses, d.storedResponses),
  };
}

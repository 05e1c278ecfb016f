// Limits of the two OpenAI-compatible endpoints, from `gateway.http.endpoints.<endpoint>` (typed in
// contract/schemas/config.ts, so a bad value stops the config loading; each has a default here):
//
//   maxImageParts         image parts per request (default 8, upstream's chat default)
//   maxTotalImageBytes    decoded bytes of all inline (data: URL / base64) images (default 20 MiB)
//   images.maxBytes       decoded bytes of one inline image (default 10 MiB)
//   images.allowedMimes   media types of inline images (default jpeg, png, gif, webp, heic, heif)
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
}

export interface RetentionLimits {
  readonly maxEntries: number;
  readonly ttlMs: number;
}

export interface OpenAiEndpointSettings {
  readonly images: ImageLimits;
  readonly statelessSessions: RetentionLimits;
  readonly storedResponses: RetentionLimits;
}

const MIB = 1024 * 1024;
const SIX_HOURS_MS = 6 * 60 * 60 * 1000;

export const DEFAULT_IMAGE_MIMES: readonly string[] = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'image/heif'];

export const DEFAULT_OPENAI_ENDPOINT_SETTINGS: OpenAiEndpointSettings = {
  images: { maxParts: 8, maxTotalBytes: 20 * MIB, maxBytesPerImage: 10 * MIB, allowedMimes: DEFAULT_IMAGE_MIMES },
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

// Read once per config object (a reload brings a new one), not once per request.
const cache = new WeakMap<OpenClawConfig, Partial<Record<OpenAiEndpoint, OpenAiEndpointSettings>>>();

export function openAiEndpointSettings(config: OpenClawConfig, endpoint: OpenAiEndpoint): OpenAiEndpointSettings {
  let byEndpoint = cache.get(config);
  if (!byEndpoint) cache.set(config, (byEndpoint = {}));
  return (byEndpoint[endpoint] ??= readSettings(config, endpoint));
}

function readSettings(config: OpenClawConfig, endpoint: OpenAiEndpoint): OpenAiEndpointSettings {
  const d = DEFAULT_OPENAI_ENDPOINT_SETTINGS;
  const section = objectOf(objectOf(config.gateway?.http?.endpoints)?.[endpoint]);
  if (!section) return d;
  const images = objectOf(section.images);
  const mimes = images?.allowedMimes;
  return {
    images: {
      maxParts: countOf(section.maxImageParts, d.images.maxParts),
      maxTotalBytes: countOf(section.maxTotalImageBytes, d.images.maxTotalBytes),
      maxBytesPerImage: countOf(images?.maxBytes, d.images.maxBytesPerImage),
      allowedMimes: Array.isArray(mimes) && mimes.every((m) => typeof m === 'string') ? mimes.map((m: string) => m.toLowerCase()) : d.images.allowedMimes,
    },
    statelessSessions: retentionOf(section.statelessSessions, d.statelessSessions),
    storedResponses: retentionOf(section.storedResponses, d.storedResponses),
  };
}

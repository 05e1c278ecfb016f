// `data:` URLs as both OpenAI endpoints take inline content (images, files): the media type and
// where the base64 data starts, read from the header without copying the data.

/** Longer headers are not media types with parameters but something else. */
const MAX_HEADER_CHARS = 256;

export type DataUrl =
  | { readonly kind: 'base64'; readonly mime: string; readonly dataStart: number }
  | { readonly kind: 'not-data' }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'not-base64' };

export function parseDataUrl(url: string): DataUrl {
  if (!/^data:/i.test(url)) return { kind: 'not-data' };
  const comma = url.indexOf(',');
  if (comma < 0 || comma > MAX_HEADER_CHARS) return { kind: 'malformed' };
  const [mime = '', ...params] = url.slice(5, comma).toLowerCase().split(';');
  if (!params.includes('base64')) return { kind: 'not-base64' };
  return { kind: 'base64', mime, dataStart: comma + 1 };
}

// Close codes and reasons that may be passed from one leg of the proxy to the other.

/** 1014 "bad gateway": the upstream leg failed or vanished. */
export const CLOSE_UPSTREAM_LOST = 1014;
/** 1013 "try again later": the upstream did not connect or answer in time. */
export const CLOSE_UPSTREAM_UNAVAILABLE = 1013;

/**
 * A code that may be sent in a close frame; 1005/1006/1015 (and anything reserved or out of
 * range) only describe what a peer observed and are replaced by `fallback`.
 */
export function sanitizeCloseCode(code: number | undefined, fallback: number): number {
  if (code === undefined) return fallback;
  if (code >= 3000 && code <= 4999) return code;
  if (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) return code;
  return fallback;
}

/** Close reasons are at most 123 bytes of UTF-8; cut on a character boundary. */
export function truncateReason(reason: string, maxBytes = 123): string {
  const bytes = new TextEncoder().encode(reason);
  if (bytes.length <= maxBytes) return reason;
  let end = maxBytes;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

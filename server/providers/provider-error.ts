// Why a model call failed, as a value: the chat layer maps it to `errorKind` and a message that
// says what to do, and never has to parse text.
export type ProviderErrorKind =
  | 'connection'
  | 'auth'
  | 'rate_limit'
  | 'server'
  | 'bad_request'
  | 'not_found'
  | 'context_length'
  | 'malformed'
  | 'timeout'
  | 'refusal'
  | 'config'
  | 'aborted';

export type ChatErrorKind = 'refusal' | 'timeout' | 'rate_limit' | 'context_length' | 'unknown';

export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly providerId: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    kind: ProviderErrorKind,
    providerId: string,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProviderError';
    this.kind = kind;
    this.providerId = providerId;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  get chatErrorKind(): ChatErrorKind {
    switch (this.kind) {
      case 'rate_limit':
      case 'timeout':
      case 'refusal':
      case 'context_length':
        return this.kind;
      default:
        return 'unknown';
    }
  }
}

/** `Retry-After` (seconds or an HTTP date) or `retry-after-ms`, in ms. */
export function parseRetryAfter(header: (name: string) => string | null | undefined, now = Date.now()): number | undefined {
  const ms = header('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  const value = header('retry-after');
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

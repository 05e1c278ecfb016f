// Every failure of a call is one GatewayError; `kind` tells where it failed so callers can decide
// whether a retry is safe (a request that was never sent can always be retried).

/**
 * - `gateway`: the gateway answered `ok:false` (`code` is its error code).
 * - `timeout`: no answer within the call's timeout (timed out locally).
 * - `closed`: the socket closed before the answer (`sent` says whether the gateway may have seen it).
 * - `aborted`: the caller's AbortSignal fired (a `cancel` frame went out if the request had been sent).
 * - `not-connected`: the call could not be sent: fail-fast mode, reconnect paused, queue full, client closed.
 */
export type GatewayErrorKind = 'gateway' | 'timeout' | 'closed' | 'aborted' | 'not-connected';

export interface GatewayErrorInit {
  readonly kind: GatewayErrorKind;
  readonly code: string;
  readonly message: string;
  readonly method?: string | undefined;
  readonly sent?: boolean;
  readonly details?: unknown;
  readonly retryable?: boolean | undefined;
  readonly retryAfterMs?: number | undefined;
}

export class GatewayError extends Error {
  declare readonly kind: GatewayErrorKind;
  /** The gateway's error code (INVALID_REQUEST, FORBIDDEN…) or a local one (TIMEOUT, CONNECTION_CLOSED…). */
  declare readonly code: string;
  declare readonly details: unknown;
  declare readonly retryable: boolean;
  declare readonly retryAfterMs: number | undefined;
  /** Whether the request frame had left this client. */
  declare readonly sent: boolean;
  declare readonly method: string | undefined;

  constructor(init: GatewayErrorInit) {
    super(init.message);
    this.name = 'GatewayError';
    this.kind = init.kind;
    this.code = init.code;
    this.details = init.details;
    this.method = init.method;
    this.sent = init.sent ?? false;
    this.retryAfterMs = init.retryAfterMs;
    this.retryable = init.retryable ?? ((init.kind === 'closed' || init.kind === 'not-connected') && !this.sent);
  }

  /** `details.code` when the gateway sent one (e.g. MISSING_SCOPE, BASE_HASH_MISMATCH). */
  get detailCode(): string | undefined {
    const d = this.details as { code?: unknown } | null | undefined;
    return typeof d?.code === 'string' ? d.code : undefined;
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}

import type { ErrorCode, ErrorDetailCode, ErrorDetailFields, ErrorShape } from '../../contract/schemas/errors.js';
import type { Mutable } from './mutable.js';

export interface GatewayErrorDetails {
  readonly code?: ErrorDetailCode;
  readonly [key: string]: unknown;
}

/** An error a handler means to show the client. Anything else thrown becomes a generic INTERNAL. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly details: GatewayErrorDetails | undefined;
  readonly retryable: boolean | undefined;
  readonly retryAfterMs: number | undefined;
  /** Some failures also carry a payload (upstream `agent`/`chat.send` errors do). */
  readonly payload: unknown;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      details?: GatewayErrorDetails;
      retryable?: boolean;
      retryAfterMs?: number;
      payload?: unknown;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.details = options.details;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.payload = options.payload;
  }

  toShape(): ErrorShape {
    const shape: Mutable<ErrorShape> = { code: this.code, message: this.message };
    if (this.details !== undefined) shape.details = this.details;
    if (this.retryable !== undefined) shape.retryable = this.retryable;
    if (this.retryAfterMs !== undefined) shape.retryAfterMs = this.retryAfterMs;
    return shape;
  }
}

/** Params that passed the schema but not the method's own rules (a date range, a reserved name…). */
export const invalidParams = (message: string, fields: ErrorDetailFields<'INVALID_PARAMS'> = {}): GatewayError =>
  new GatewayError('INVALID_REQUEST', message, { details: Object.assign({ code: 'INVALID_PARAMS' as const }, fields) });

/** @deprecated Build errors with `errorsFor(method)` or `gatewayErrors` (server/core/error-constructors.ts). */
export const invalidRequest = (message: string, details?: GatewayErrorDetails): GatewayError =>
  new GatewayError('INVALID_REQUEST', message, details ? { details } : {});

/** @deprecated Build errors with `errorsFor(method)` or `gatewayErrors` (server/core/error-constructors.ts). */
export const notFound = (message: string, code: ErrorDetailCode): GatewayError => new GatewayError('NOT_FOUND', message, { details: { code } });

/** @deprecated Build errors with `errorsFor(method)` or `gatewayErrors` (server/core/error-constructors.ts). */
export const conflict = (message: string, code: ErrorDetailCode, extra: Record<string, unknown> = {}): GatewayError =>
  new GatewayError('CONFLICT', message, { details: Object.assign({ code }, extra) });

export const INTERNAL_ERROR: ErrorShape = Object.freeze({
  code: 'INTERNAL',
  message: 'internal error; the gateway log has the details',
});

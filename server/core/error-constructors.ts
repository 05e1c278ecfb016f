// One typed constructor per catalog entry (contract/schemas/errors.ts): the top-level code, the
// details' fields and the default message come from the catalog, so a code is built one way only.
// Handlers take theirs from `errorsFor(method)` (generated/server/method-errors.ts), which offers
// only the codes the method declares; services shared by several methods use `gatewayErrors`.
import {
  ERROR_CATALOG,
  ERROR_DETAIL_CODES,
  GENERIC_DETAIL_CODES,
  type ErrorDetailCode,
  type ErrorDetailFields,
  type ErrorDetailsOf,
  type TopCodeOf,
} from '../../contract/schemas/errors.js';
import { GatewayError } from './gateway-error.js';

export interface GatewayErrorOptions {
  /** Replaces the catalog's default message; say what to do next. */
  readonly message?: string;
  readonly retryAfterMs?: number;
  /** Some failures also carry a payload (upstream `agent` errors do). */
  readonly payload?: unknown;
  readonly cause?: unknown;
}

/** A GatewayError whose code and details the type system knows (exactly: no open index signature). */
export type TypedGatewayError<C extends ErrorDetailCode> = Omit<GatewayError, 'code' | 'details'> & {
  readonly code: TopCodeOf<C>;
  readonly details: ErrorDetailsOf<C>;
};

/** Details may be left out when the entry has no required field; a string option is the message. */
export type ErrorArgs<C extends ErrorDetailCode> = {} extends ErrorDetailFields<C>
  ? [details?: ErrorDetailFields<C>, options?: string | GatewayErrorOptions]
  : [details: ErrorDetailFields<C>, options?: string | GatewayErrorOptions];

export type ErrorConstructor<C extends ErrorDetailCode> = (...args: ErrorArgs<C>) => TypedGatewayError<C>;

export type ErrorConstructors = { readonly [C in ErrorDetailCode]: ErrorConstructor<C> };

function construct(code: ErrorDetailCode, fields: object | undefined, options: string | GatewayErrorOptions | undefined): GatewayError {
  const entry = ERROR_CATALOG[code];
  const opts: GatewayErrorOptions = typeof options === 'string' ? { message: options } : (options ?? {});
  const details = Object.assign({ code }, fields);
  const render = entry.message as string | ((d: typeof details) => string);
  const message = opts.message ?? (typeof render === 'string' ? render : render(details));
  return new GatewayError(entry.top, message, {
    details,
    retryable: entry.retryable ? true : undefined,
    retryAfterMs: opts.retryAfterMs,
    payload: opts.payload,
    cause: opts.cause,
  });
}

function constructorsOf(codes: readonly ErrorDetailCode[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const code of codes) out[code] = (fields?: object, options?: string | GatewayErrorOptions) => construct(code, fields, options);
  return out;
}

/** Every code's constructor, for services that several methods share (the dispatcher checks the declarations). */
export const gatewayErrors = Object.freeze(constructorsOf(ERROR_DETAIL_CODES)) as ErrorConstructors;

/** The constructors of `codes` and of the generic codes; the generated `errorsFor` types the result. */
export function pickErrorConstructors(codes: readonly ErrorDetailCode[]): Readonly<Record<string, unknown>> {
  return Object.freeze(constructorsOf([...new Set([...codes, ...GENERIC_DETAIL_CODES])]));
}

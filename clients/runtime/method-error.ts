// Typed failures per method. `MethodError<'sessions.patch'>` has one member per `details.code` the
// method may answer (from the contract, generated/clients/method-errors.ts), each with its
// top-level code and typed `details`, plus the failures that carry no code (timeouts, closed
// sockets, aborts, INTERNAL). Narrow with `isMethodError(error, method)`, then on `detailCode`.
import type { ErrorDetailCode, ErrorDetailsOf, TopCodeOf } from '../../contract/schemas/errors.js';
import type { GatewayMethodErrorCode, GatewayMethodErrors } from '../../generated/clients/method-errors.js';
import { GatewayError } from './gateway-error.js';

export type MethodWithErrors = keyof GatewayMethodErrors;

/** The gateway answered `C`: its top-level code and its details are known. */
export type CodedFailure<C extends ErrorDetailCode> = C extends ErrorDetailCode
  ? GatewayError & { readonly kind: 'gateway'; readonly code: TopCodeOf<C>; readonly detailCode: C; readonly details: ErrorDetailsOf<C> }
  : never;

/** A failure with no `details.code`: local (timeout, closed, aborted, not connected) or the gateway's INTERNAL. */
export type UncodedFailure = GatewayError & { readonly detailCode: undefined };

export type MethodError<M extends MethodWithErrors> = CodedFailure<GatewayMethodErrorCode<M>> | UncodedFailure;

/**
 * True when `error` is a failure of a call to `method`; its type is then the method's error union.
 * A gateway newer than this SDK may answer a code the union does not name yet.
 */
export function isMethodError<M extends MethodWithErrors>(error: unknown, method: M): error is MethodError<M> {
  return error instanceof GatewayError && error.method === method;
}

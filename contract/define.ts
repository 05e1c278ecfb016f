// Building blocks of the contract: a method, an event and an HTTP endpoint are plain, immutable
// descriptors. The codegen reads them; the server and clients only ever see them through generated/.
import type { z } from 'zod';
import type { ErrorDetailCode } from './schemas/errors.js';

export const OPERATOR_SCOPES = [
  'operator.read',
  'operator.write',
  'operator.admin',
  'operator.approvals',
  'operator.pairing',
] as const;
export type OperatorScope = (typeof OPERATOR_SCOPES)[number];

/**
 * Who may call a method: an operator scope, `any` (every authenticated connection, any role) or
 * `node` (connections with role `node` only).
 */
export type MethodAccess = OperatorScope | 'any' | 'node';

/** Who receives an event: an operator scope, `any` connection, or `targeted` (sent to chosen connections only). */
export type EventAccess = OperatorScope | 'any' | 'targeted';

export interface MethodSpec<
  P extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
  I extends z.ZodType | undefined = z.ZodType | undefined,
> {
  readonly kind: 'method';
  readonly params: P;
  readonly result: R;
  readonly scope: MethodAccess;
  /** `details.code` values this method may answer with, beyond the generic dispatch errors. */
  readonly errors: readonly ErrorDetailCode[];
  readonly doc: string;
  /** Upstream names accepted on the wire for this method. */
  readonly aliases: readonly string[];
  /** The method answers twice with the same id: an interim `res` (e.g. accepted) and the final one. */
  readonly interim: I;
}

export interface EventSpec<P extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly payload: P;
  readonly scope: EventAccess;
  readonly doc: string;
  /** May be skipped for a slow consumer instead of closing its socket. */
  readonly droppable: boolean;
}

export type HttpVerb = 'GET' | 'POST';

export interface HttpEndpointSpec<B extends z.ZodType | null = z.ZodType | null, R extends z.ZodType = z.ZodType> {
  readonly kind: 'http';
  readonly verb: HttpVerb;
  /**
   * Paths served; `{name}` is a path parameter that matches the rest of the path, slashes included
   * (model ids such as `openclaw/main`), handed to the handler as `params.name`, URL-decoded.
   */
  readonly paths: readonly string[];
  readonly body: B;
  readonly response: R;
  /** `bearer`: gateway token required; `none`: open (probes, dashboard). */
  readonly auth: 'bearer' | 'none';
  /** Responds with `text/event-stream` when the request asks for streaming. */
  readonly streams: boolean;
  /** Media types of a success body that is not JSON (the Control UI's page and assets); empty: JSON. */
  readonly contentTypes: readonly string[];
  readonly doc: string;
}

export function method<P extends z.ZodType, R extends z.ZodType, I extends z.ZodType | undefined = undefined>(spec: {
  params: P;
  result: R;
  scope: MethodAccess;
  doc: string;
  errors?: readonly ErrorDetailCode[];
  aliases?: readonly string[];
  interim?: I;
}): MethodSpec<P, R, I> {
  return Object.freeze({
    kind: 'method',
    params: spec.params,
    result: spec.result,
    scope: spec.scope,
    doc: spec.doc,
    errors: Object.freeze([...(spec.errors ?? [])]),
    aliases: Object.freeze([...(spec.aliases ?? [])]),
    interim: spec.interim as I,
  }) as MethodSpec<P, R, I>;
}

export function event<P extends z.ZodType>(spec: {
  payload: P;
  scope: EventAccess;
  doc: string;
  droppable?: boolean;
}): EventSpec<P> {
  return Object.freeze({
    kind: 'event',
    payload: spec.payload,
    scope: spec.scope,
    doc: spec.doc,
    droppable: spec.droppable ?? false,
  }) as EventSpec<P>;
}

export function endpoint<B extends z.ZodType | null, R extends z.ZodType>(spec: {
  verb: HttpVerb;
  paths: readonly string[];
  body: B;
  response: R;
  auth: 'bearer' | 'none';
  doc: string;
  streams?: boolean;
  contentTypes?: readonly string[];
}): HttpEndpointSpec<B, R> {
  return Object.freeze({
    kind: 'http',
    verb: spec.verb,
    paths: Object.freeze([...spec.paths]),
    body: spec.body,
    response: spec.response,
    auth: spec.auth,
    streams: spec.streams ?? false,
    contentTypes: Object.freeze([...(spec.contentTypes ?? [])]),
    doc: spec.doc,
  }) as HttpEndpointSpec<B, R>;
}

// Building blocks of the error catalog (schemas/errors.ts): one entry per `details.code`, naming
// its top-level code, the fields of its `details` and a default message. Codegen, the server's
// error constructors, the HTTP status table and the SDK's error unions all read the catalog.
import { z } from 'zod';
import type { ErrorCode } from './schemas/errors.js';

/** An HTTP status a gateway error may map to (errors only: 4xx and 5xx). */
export type ErrorHttpStatus = 400 | 401 | 403 | 404 | 408 | 409 | 413 | 429 | 499 | 500 | 502 | 503 | 504;

/** One catalog entry as written in schemas/errors.ts, before it knows its own name. */
export interface ErrorDetailDef<T extends ErrorCode = ErrorCode, S extends z.ZodRawShape = z.ZodRawShape> {
  readonly top: T;
  readonly fields: S;
  /** The message when the thrower gives none; it should say what to do next. */
  readonly message: string | ((details: z.output<z.ZodObject<S>>) => string);
  /** Whether the same request may succeed later (rate limits, full queues). */
  readonly retryable: boolean;
  /** HTTP status on the HTTP routes when it differs from the top-level code's. */
  readonly http: ErrorHttpStatus | undefined;
}

/**
 * `detail('NOT_FOUND', { key: z.string() }, (d) => `session not found: ${d.key}`)`: a catalog
 * entry. `fields` are the keys of `details` besides `code`; extra keys are tolerated on the wire.
 */
export function detail<T extends ErrorCode, S extends z.ZodRawShape>(
  top: T,
  fields: S,
  message: string | ((details: z.output<z.ZodObject<S>>) => string),
  options: { retryable?: boolean; http?: ErrorHttpStatus } = {},
): ErrorDetailDef<T, S> {
  return Object.freeze({ top, fields, message, retryable: options.retryable ?? false, http: options.http });
}

/** Any entry, whatever its fields (a message function's parameter is contravariant, hence `never`). */
export interface AnyErrorDetailDef {
  readonly top: ErrorCode;
  readonly fields: z.ZodRawShape;
  readonly message: string | ((details: never) => string);
  readonly retryable: boolean;
  readonly http: ErrorHttpStatus | undefined;
}

/** A catalog entry that knows its name: `details` is the full schema, `code` literal included. */
export interface ErrorCatalogEntry<K extends string = string, D extends AnyErrorDetailDef = AnyErrorDetailDef> {
  readonly detailCode: K;
  readonly top: D['top'];
  readonly details: z.ZodObject<{ code: z.ZodLiteral<K> } & D['fields']>;
  readonly message: D['message'];
  readonly retryable: boolean;
  readonly http: ErrorHttpStatus | undefined;
}

export type ErrorCatalog<E extends Record<string, AnyErrorDetailDef>> = {
  readonly [K in keyof E & string]: ErrorCatalogEntry<K, E[K]>;
};

export function defineErrorCatalog<const E extends Record<string, AnyErrorDetailDef>>(defs: E): ErrorCatalog<E> {
  const out: Record<string, ErrorCatalogEntry> = {};
  for (const [name, def] of Object.entries(defs)) {
    out[name] = Object.freeze({
      detailCode: name,
      top: def.top,
      details: z.object({ code: z.literal(name), ...def.fields }),
      message: def.message,
      retryable: def.retryable,
      http: def.http,
    }) as ErrorCatalogEntry;
  }
  return Object.freeze(out) as ErrorCatalog<E>;
}

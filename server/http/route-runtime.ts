import type { Context } from 'hono';
import type { z } from 'zod';

export type BodyResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly response: Response };

/** What generated routes need from the hand-written HTTP layer. */
export interface HttpRouteRuntime {
  /** Returns a response to send instead (401/429/404 when disabled), or null to go on. Synchronous: it runs on every request. */
  authorize(c: Context, endpoint: string, auth: 'bearer' | 'none'): Response | null;
  /** Reads and validates a JSON body under the endpoint's size limit (400/413 on failure). */
  readBody<S extends z.ZodType>(c: Context, endpoint: string, schema: S): Promise<BodyResult<z.output<S>>>;
  /** A known path asked with another method: 405 with `Allow`. */
  methodNotAllowed(c: Context, allowed: readonly string[]): Response;
  /** No route has this path. */
  notFound(c: Context): Response;
}

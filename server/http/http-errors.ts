// The HTTP error bodies of HTTP.md, in one place.
import type { HttpEndpointName } from '../../generated/http/routes.js';

export type HttpErrorType =
  | 'invalid_request_error'
  | 'unauthorized'
  | 'rate_limited'
  | 'not_found'
  | 'forbidden'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'api_error';

export function errorBody(type: HttpErrorType | string, message: string): { error: { message: string; type: string } } {
  return { error: { message, type } };
}

/** `/tools/invoke`'s error envelope: `{ok:false, error:{type, message}}`. */
export function toolErrorBody(type: string, message: string): { ok: false; error: { type: string; message: string } } {
  return { ok: false, error: { type, message } };
}

/** Endpoints whose request errors (400, 413, disabled 404) use the `{ok:false}` envelope; auth errors never do. */
const ENVELOPED_ENDPOINTS: ReadonlySet<string> = new Set<HttpEndpointName>(['toolsInvoke']);

/** A request-level error (unreadable, malformed or invalid body; disabled endpoint) in the endpoint's own shape. */
export function requestErrorResponse(endpoint: string, status: number, type: HttpErrorType, message: string, headers: Record<string, string> = {}): Response {
  return jsonResponse(status, ENVELOPED_ENDPOINTS.has(endpoint) ? toolErrorBody(type, message) : errorBody(type, message), headers);
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

export const unauthorizedResponse = (): Response => jsonResponse(401, errorBody('unauthorized', 'Unauthorized'));

export const rateLimitedResponse = (retryAfterMs: number): Response =>
  jsonResponse(429, errorBody('rate_limited', 'Too many failed authentication attempts. Please try again later.'), {
    'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
  });

// The HTTP error bodies of docs/http.md, in one place. Statuses that stand for a gateway error code
// come from the one code → status table (contract/schemas/errors.ts, `httpStatusOf`).
import { httpStatusOfError, type ErrorShape } from '../../contract/schemas/errors.js';
import type { HttpEndpointName } from '../../generated/http/routes.js';

export type HttpErrorType =
  | 'invalid_request_error'
  | 'unauthorized'
  | 'rate_limited'
  | 'not_found'
  | 'forbidden'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'request_timeout'
  | 'overloaded_error'
  | 'api_error';

export interface OpenAiErrorExtras {
  /** The request field or header at fault (OpenAI's `param`). */
  readonly param?: string;
  /** A machine-readable reason (OpenAI's `code`). */
  readonly code?: string;
}

export function errorBody(type: HttpErrorType | string, message: string, extras?: OpenAiErrorExtras): { error: { message: string; type: string; param?: string; code?: string } } {
  return { error: { message, type, ...extras } };
}

/** `/tools/invoke`'s error envelope: `{ok:false, error:{type, message}}`. */
export function toolErrorBody(type: string, message: string): { ok: false; error: { type: string; message: string } } {
  return { ok: false, error: { type, message } };
}

/** Endpoints whose errors (400, 401, 404, 413, 429…) use the `{ok:false}` envelope. */
const ENVELOPED_ENDPOINTS: ReadonlySet<string> = new Set<HttpEndpointName>(['toolsInvoke']);

/** A request-level error (unreadable, malformed or invalid body; disabled endpoint) in the endpoint's own shape. */
export function requestErrorResponse(endpoint: string, status: number, type: HttpErrorType, message: string, headers: Record<string, string> = {}): Response {
  return jsonResponse(status, ENVELOPED_ENDPOINTS.has(endpoint) ? toolErrorBody(type, message) : errorBody(type, message), headers);
}

const METHOD_NOT_ALLOWED = 'Method Not Allowed';

/**
 * 405 with `Allow`, in the endpoint's error shape: `{ok:false, error}` on /tools/invoke, OpenAI's
 * `{error}` on /v1/* (type `invalid_request_error` as OpenAI answers a wrong method, code
 * `method_not_allowed`), and upstream's plain text elsewhere (probes, the dashboard).
 */
export function methodNotAllowedResponse(method: string, path: string, allowed: readonly string[]): Response {
  const allow = allowed.join(', ');
  const message = `${METHOD_NOT_ALLOWED}: ${method.slice(0, 16)} ${path}; use ${allow}.`;
  if (path === '/tools/invoke') return jsonResponse(405, toolErrorBody('invalid_request_error', message), { allow });
  if (path.startsWith('/v1/')) return jsonResponse(405, errorBody('invalid_request_error', message, { code: 'method_not_allowed' }), { allow });
  return new Response(METHOD_NOT_ALLOWED, { status: 405, headers: { allow, 'content-type': 'text/plain; charset=utf-8' } });
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** OpenAI's error `type` for a status: request errors, rate limits, or the server's own. */
function errorTypeOf(status: number): HttpErrorType {
  if (status === 429) return 'rate_limited';
  return status < 500 && status !== 499 ? 'invalid_request_error' : 'api_error';
}

/**
 * A gateway error (a GatewayError's shape) as an HTTP answer: the status from the error table, the
 * endpoint's error envelope, and `details.code` lower-cased as OpenAI's `code`.
 */
export function gatewayErrorResponse(endpoint: string, error: Pick<ErrorShape, 'code' | 'message' | 'details'>): Response {
  const status = httpStatusOfError(error);
  const type = errorTypeOf(status);
  if (ENVELOPED_ENDPOINTS.has(endpoint)) return jsonResponse(status, toolErrorBody(type, error.message));
  const detail = (error.details as { code?: unknown } | undefined)?.code;
  return jsonResponse(status, errorBody(type, error.message, typeof detail === 'string' ? { code: detail.toLowerCase() } : undefined));
}

export const unauthorizedResponse = (endpoint = ''): Response => requestErrorResponse(endpoint, 401, 'unauthorized', 'Unauthorized');

export const rateLimitedResponse = (retryAfterMs: number, endpoint = ''): Response =>
  requestErrorResponse(endpoint, 429, 'rate_limited', 'Too many failed authentication attempts. Please try again later.', {
    'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
  });

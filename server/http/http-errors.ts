// The HTTP error bodies of HTTP.md, in one place.
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

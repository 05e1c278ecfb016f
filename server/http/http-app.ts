// The Hono app behind every plain HTTP request on the gateway port. Routes come from codegen;
// this file adds what every response shares: security headers, auth, limits, 404 and 500.
import { httpStatusOf } from '../../contract/schemas/errors.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { registerHttpRoutes, type HttpHandlers } from '../../generated/http/routes.js';
import type { AuthRateLimiter } from '../auth/auth-rate-limiter.js';
import { browserOriginPolicy, checkBrowserOrigin, originRefusalMessage } from '../auth/browser-origin.js';
import type { SecretRedactor } from '../config/secret-redactor.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { isLoopbackAddress } from '../transport/ws-frame-socket.js';
import { checkBearer } from './bearer-auth.js';
import { errorBody, jsonResponse, methodNotAllowedResponse, rateLimitedResponse, requestErrorResponse, unauthorizedResponse } from './http-errors.js';
import { headerOf, incomingOf, remoteAddressOf, type HttpEnv } from './node-request.js';
import { readJsonBody } from './read-json-body.js';
import type { HttpRouteRuntime } from './route-runtime.js';

export interface HttpAppOptions {
  readonly rt: GatewayRuntime;
  readonly limiter: AuthRateLimiter;
  /** Masks configured secret values in every response body. */
  readonly redactor?: SecretRedactor;
  readonly handlers: HttpHandlers;
  /** Per-endpoint body limit in bytes. */
  bodyLimit(endpoint: string): number;
  /** How long a request body may take to arrive, in ms. */
  bodyTimeoutMs(): number;
  /** A disabled endpoint answers 404 naming the config key that enables it; null = enabled. */
  disabledBy(endpoint: string): string | null;
}

const SECURITY_HEADERS: [string, string][] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['Permissions-Policy', 'camera=(), microphone=(), geolocation=()'],
];

/**
 * The node:http request listener: security headers go straight onto the node response (they merge
 * into whatever the route answers), so the Hono app needs no middleware and dispatches each route
 * without a compose chain.
 */
export function createHttpListener(options: HttpAppOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const app = createHttpApp(options);
  const listener = getRequestListener(app.fetch);
  const { logger } = options.rt;
  return (req, res) => {
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
    const hsts = options.rt.config.config.gateway?.http?.securityHeaders?.strictTransportSecurity;
    if (typeof hsts === 'string' && hsts) res.setHeader('Strict-Transport-Security', hsts);
    if (logger.pino.isLevelEnabled('debug')) logAccess(logger, req, res);
    if (options.redactor?.active) maskSecretsIn(res, options.redactor);
    void listener(req, res);
  };
}

type WriteArgs = [chunk?: unknown, ...rest: unknown[]];

/**
 * Every body byte of this response passes the redactor (the mask keeps lengths, so a
 * Content-Length set before the body stays right), JSON and SSE alike.
 */
function maskSecretsIn(res: ServerResponse, redactor: SecretRedactor): void {
  const mask = (chunk: unknown): unknown => (typeof chunk === 'string' ? redactor.text(chunk) : chunk instanceof Uint8Array ? redactor.bytes(chunk) : chunk);
  const write = res.write.bind(res) as (...args: WriteArgs) => boolean;
  const end = res.end.bind(res) as (...args: WriteArgs) => ServerResponse;
  res.write = ((...args: WriteArgs) => write(mask(args[0]), ...args.slice(1))) as ServerResponse['write'];
  res.end = ((...args: WriteArgs) => (typeof args[0] === 'function' ? end(...args) : end(mask(args[0]), ...args.slice(1)))) as ServerResponse['end'];
}

/**
 * One debug line per request once its answer is sent (or the client left): method, path without
 * the query, status, time taken and peer. Headers and bodies are never logged (tokens live there).
 */
function logAccess(logger: GatewayLogger, req: IncomingMessage, res: ServerResponse): void {
  const started = performance.now();
  res.once('close', () => {
    // The path alone: an absolute-form request line could carry credentials before the host.
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://gateway').pathname.slice(0, 200);
    } catch {
      path = '(unparsable)';
    }
    logger.debug('http request', {
      method: req.method,
      path,
      status: res.writableFinished ? res.statusCode : 'client gone',
      ms: Math.round((performance.now() - started) * 100) / 100,
      remote: req.socket.remoteAddress,
    });
  });
}

/** The routes; only createHttpListener serves it, since that is where the security headers are set. */
function createHttpApp(options: HttpAppOptions): Hono<HttpEnv> {
  const { rt } = options;
  const app = new Hono<HttpEnv>();

  const routeRuntime: HttpRouteRuntime = {
    authorize(c, endpoint, auth) {
      const disabledKey = options.disabledBy(endpoint);
      if (disabledKey) {
        return requestErrorResponse(endpoint, 404, 'not_found', `This endpoint is disabled; set ${disabledKey} to true to enable it.`);
      }
      if (auth === 'none') return null;
      const address = remoteAddressOf(c);
      const origin = headerOf(c, 'origin');
      if (origin !== undefined) {
        // A page on another site must not drive the gateway (with auth mode none it needs no secret).
        const request = { origin, host: headerOf(c, 'host'), localPort: incomingOf(c)?.socket.localPort, remoteIsLoopback: isLoopbackAddress(address) };
        const browser = checkBrowserOrigin(request, browserOriginPolicy(rt.config.config));
        if (browser && !browser.allowed) return requestErrorResponse(endpoint, 403, 'forbidden', originRefusalMessage(browser));
      }
      const attempt = { address, isLoopback: isLoopbackAddress(address), identity: `http|${headerOf(c, 'user-agent') ?? ''}` };
      const decision = checkBearer(headerOf(c, 'authorization'), rt.settings().auth, options.limiter, attempt);
      if (decision.ok) return null;
      if (decision.status === 429) return rateLimitedResponse(decision.retryAfterMs, endpoint);
      return unauthorizedResponse(endpoint);
    },
    readBody: (c, endpoint, schema) => readJsonBody(c, endpoint, schema, options.bodyLimit(endpoint), options.bodyTimeoutMs()),
    methodNotAllowed: (c, allowed) => methodNotAllowedResponse(c.req.method, c.req.path, allowed),
    notFound: () => new Response('Not Found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }),
  };

  registerHttpRoutes(app as unknown as Hono, options.handlers, routeRuntime);

  app.onError((error, c) => {
    rt.logger.error('http handler failed', { path: c.req.path, error: error.message, stack: error.stack });
    return jsonResponse(httpStatusOf('INTERNAL'), errorBody('api_error', 'internal error'));
  });
  return app;
}

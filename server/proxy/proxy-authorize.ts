// The default authorize hook: a browser page on an allow-listed origin, on this machine. Hosts
// that have real user sessions pass their own hook (cookie/session check) instead.
import type { IncomingMessage } from 'node:http';
import { normalizeOrigin } from '../auth/browser-origin.js';
import type { AuthorizeDecision, ProxySettings } from './proxy-settings.js';

export function isLoopback(address: string | undefined): boolean {
  return !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

export { normalizeOrigin };

export function defaultAuthorize(request: IncomingMessage, settings: ProxySettings): AuthorizeDecision {
  if (!isLoopback(request.socket.remoteAddress)) {
    return { ok: false, status: 403, message: 'the gateway proxy accepts connections from this machine only' };
  }
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || !origin) {
    return { ok: false, status: 401, message: 'missing Origin header: connect from a page served by an allowed origin' };
  }
  const normalized = normalizeOrigin(origin);
  const allowed = settings.allowedOrigins.map(normalizeOrigin);
  if (!normalized || !allowed.includes(normalized)) {
    return { ok: false, status: 403, message: 'origin not allowed: add it to gateway.proxy.allowedOrigins' };
  }
  return { ok: true };
}

// Which web pages may talk to the gateway (reference §2.6 "Browser-origin rule"). A request that
// carries an `Origin` header comes from a browser; its origin must be one of the gateway's own
// loopback origins (a page it served itself), listed in `gateway.controlUi.allowedOrigins` ("*"
// for any), or equal the Host header when `dangerouslyAllowHostHeaderOriginFallback` is on.
// Clients that are not browsers send no Origin and are not affected.
import type { OpenClawConfig } from '../../contract/schemas/config.js';

export interface BrowserOriginPolicy {
  /** Exact origins (scheme://host[:port]) from `gateway.controlUi.allowedOrigins`; "*" allows any. */
  readonly allowedOrigins: readonly string[];
  readonly hostHeaderFallback: boolean;
}

export interface BrowserOriginRequest {
  /** The Origin header as sent; undefined when there is none. */
  readonly origin: string | undefined;
  readonly host: string | undefined;
  /** The port the request arrived on (the gateway's own origins use it). */
  readonly localPort: number | undefined;
  readonly remoteIsLoopback: boolean;
}

/** A browser's origin and whether it may connect; undefined for a client that sent no Origin. */
export interface BrowserOrigin {
  readonly origin: string;
  readonly allowed: boolean;
  /** Why it was refused (upstream's `details.reason`). */
  readonly reason: string;
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

export function browserOriginPolicy(config: OpenClawConfig): BrowserOriginPolicy {
  const ui = config.gateway?.controlUi;
  return { allowedOrigins: ui?.allowedOrigins ?? [], hostHeaderFallback: ui?.dangerouslyAllowHostHeaderOriginFallback === true };
}

/** `scheme://host[:port]` in lower case with default ports dropped; undefined for `null` or a non-URL. */
export function normalizeOrigin(origin: string): string | undefined {
  const trimmed = origin.trim();
  if (!trimmed || trimmed === 'null') return undefined;
  try {
    const url = new URL(trimmed);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin.toLowerCase();
  } catch {
    return undefined;
  }
}

function ownOrigins(localPort: number | undefined): string[] {
  if (localPort === undefined) return [];
  return LOOPBACK_HOSTS.flatMap((host) => [`http://${host}:${localPort}`, `https://${host}:${localPort}`]);
}

export function checkBrowserOrigin(request: BrowserOriginRequest, policy: BrowserOriginPolicy): BrowserOrigin | undefined {
  if (request.origin === undefined) return undefined;
  const origin = request.origin.slice(0, 256);
  const normalized = normalizeOrigin(origin);
  if (!normalized) return { origin, allowed: false, reason: 'origin missing or invalid' };
  if (policy.allowedOrigins.includes('*')) return { origin, allowed: true, reason: '' };
  if (policy.allowedOrigins.some((o) => normalizeOrigin(o) === normalized)) return { origin, allowed: true, reason: '' };
  // A page the gateway served itself, opened from this machine.
  if (request.remoteIsLoopback && ownOrigins(request.localPort).includes(normalized)) return { origin, allowed: true, reason: '' };
  if (policy.hostHeaderFallback && request.host && new URL(normalized).host === request.host.toLowerCase()) return { origin, allowed: true, reason: '' };
  return { origin, allowed: false, reason: 'origin not allowed' };
}

/** The message a refused browser sees, naming the key that would let it in. */
export function originRefusalMessage(origin: BrowserOrigin): string {
  return `origin not allowed: ${origin.origin.slice(0, 100)} may not connect; open the page from this gateway, or add the origin to gateway.controlUi.allowedOrigins`;
}

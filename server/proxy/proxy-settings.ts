// What a GatewayProxy needs per connection, with the defaults a caller may leave out.
import type { IncomingMessage } from 'node:http';

export interface ProxySettings {
  /** The gateway's WebSocket URL, e.g. ws://127.0.0.1:18789/ws. */
  readonly upstreamUrl: string;
  /** Injected into `connect.auth`; never sent to the browser. */
  readonly token?: string | undefined;
  readonly password?: string | undefined;
  /** Exact origins (scheme://host[:port]) the default authorize hook accepts. */
  readonly allowedOrigins: readonly string[];
  /** Whether a browser may obtain operator.admin through the proxy (default false). */
  readonly allowAdminScope: boolean;
  /** Frames a browser may send before the gateway accepted `connect` (default 64). */
  readonly maxQueuedFrames: number;
  /** Upstream open + challenge + hello-ok must finish within this (default 10 000 ms). */
  readonly upstreamTimeoutMs: number;
  /** The browser's first frame must arrive within this (default 10 000 ms). */
  readonly firstFrameTimeoutMs: number;
  /** Concurrent proxied connections (default 256); more are answered 503. */
  readonly maxConnections: number;
  /**
   * The client identity the upstream leg presents: `browser` relays the page's own, an object
   * replaces its `id` and `mode` (the page's version, platform and names are kept). Default
   * `gateway-client`/`backend`, which upstream OpenClaw gateways grant scopes with a token (a
   * device-less `webchat-ui` gets none there).
   */
  readonly upstreamClient: 'browser' | { readonly id: string; readonly mode: string };
  /** `Origin` header of the upstream leg (default none; upstream refuses browser-mode ids without an allowed one). */
  readonly upstreamOrigin: string | undefined;
  /** Scopes requested upstream instead of the page's request (both are capped by the authorize hook's scopes). */
  readonly upstreamScopes: readonly string[] | undefined;
}

export const BACKEND_CLIENT = Object.freeze({ id: 'gateway-client', mode: 'backend' });

export type ProxySettingsInput = Pick<ProxySettings, 'upstreamUrl'> & Partial<ProxySettings>;

export function withProxyDefaults(input: ProxySettingsInput): ProxySettings {
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as ProxySettingsInput;
  return {
    allowedOrigins: [],
    allowAdminScope: false,
    maxQueuedFrames: 64,
    upstreamTimeoutMs: 10_000,
    firstFrameTimeoutMs: 10_000,
    maxConnections: 256,
    upstreamClient: BACKEND_CLIENT,
    upstreamOrigin: undefined,
    upstreamScopes: undefined,
    ...defined,
  };
}

/** The outcome of the authorize hook: the scopes this user may have, or the HTTP refusal. */
export type AuthorizeDecision =
  | { readonly ok: true; readonly scopes?: readonly string[] }
  | { readonly ok: false; readonly status: 401 | 403; readonly message: string };

export type AuthorizeHook = (request: IncomingMessage, settings: ProxySettings) => AuthorizeDecision | Promise<AuthorizeDecision>;

/** Scopes a browser may get when the authorize hook does not say: everything but pairing and admin. */
export function defaultScopeCap(settings: ProxySettings): string[] {
  const cap = ['operator.read', 'operator.write', 'operator.approvals'];
  if (settings.allowAdminScope) cap.push('operator.admin');
  return cap;
}

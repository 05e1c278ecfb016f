// BrowserGatewayClient: the small browser-only SDK. It talks to the same-origin GatewayProxy
// (which owns the token), so it sends `connect` as soon as the socket opens, and it exposes only
// the chat methods and the chat/agent events. No validation library at runtime. The streaming
// helper is a separate import (browser-chat-stream.ts) so pages that do not stream do not ship it.
import type { BrowserEvents, BrowserMethods } from '../generated/clients/method-map.js';
import { createBrowserSurface, type BrowserSurface } from '../generated/clients/browser-surface.js';
import { NativeSocketDriver } from './runtime/native-socket-driver.js';
import type { CallOptions, RpcCaller } from './runtime/rpc-caller.js';
import { RpcSession, type SessionOptions } from './runtime/rpc-session.js';
import type { WebSocketLike } from './runtime/socket-driver.js';
import { SDK_VERSION } from './version.js';

export interface BrowserGatewayClientOptions extends SessionOptions {
  /** Default: ws(s)://<this host>/api/gateway/ws */
  readonly url?: string;
  /** Requested scopes (default read and write); the proxy caps them. */
  readonly scopes?: readonly string[];
  readonly client?: { readonly id?: string; readonly displayName?: string; readonly instanceId?: string };
  /** A socket that has not opened after this is abandoned and retried (default 10 000 ms). */
  readonly connectTimeoutMs?: number;
  /** Another WebSocket class (default: the browser's). */
  readonly WebSocket?: new (url: string) => unknown;
}

export interface BrowserGatewayClient extends BrowserSurface {}

export function defaultProxyUrl(): string {
  const { protocol, host } = globalThis.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/api/gateway/ws`;
}

export class BrowserGatewayClient extends RpcSession<BrowserEvents> implements RpcCaller<BrowserMethods> {
  protected readonly driver: NativeSocketDriver;

  constructor(private readonly opts: BrowserGatewayClientOptions = {}) {
    super(opts, { challengeTimeoutMs: 0, keyed: ['chat.send'], interim: [] });
    const WS = (opts.WebSocket ?? globalThis.WebSocket) as new (url: string) => WebSocketLike;
    this.driver = new NativeSocketDriver(this, () => opts.url ?? defaultProxyUrl(), (url) => new WS(url), opts.connectTimeoutMs ?? 10_000);
    Object.assign(this, createBrowserSurface(this));
  }

  protected connectParams(): Record<string, unknown> {
    return {
      minProtocol: 3,
      maxProtocol: 4,
      client: { id: 'webchat-ui', version: SDK_VERSION, platform: 'web', mode: 'webchat', ...this.opts.client },
      role: 'operator',
      scopes: [...(this.opts.scopes ?? ['operator.read', 'operator.write'])],
      caps: [],
    };
  }

  request<K extends keyof BrowserMethods>(method: K, params: BrowserMethods[K]['params'], options?: CallOptions): Promise<BrowserMethods[K]['result']> {
    return this.call(method, params, options) as Promise<BrowserMethods[K]['result']>;
  }
}

let singleton: BrowserGatewayClient | undefined;

/** The page-wide client; it starts connecting on first use. */
export function getBrowserGatewayClient(options?: BrowserGatewayClientOptions): BrowserGatewayClient {
  if (!singleton || singleton.state === 'closed') {
    singleton = new BrowserGatewayClient(options);
    void singleton.connect().catch(() => {});
  }
  return singleton;
}

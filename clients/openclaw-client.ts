// OpenClawClient: the full SDK for Node and browsers. Every namespace of the contract as typed
// nested methods (generated), on the shared session core, over reconnecting-websocket.
import type { ClientOptions } from 'ws';
import type { ConnectParams } from '../contract/schemas/connect.js';
import type { GatewayEvents, GatewayMethodName, GatewayMethods } from '../generated/clients/method-map.js';
import { INTERIM_METHOD_NAMES, KEYED_METHOD_NAMES } from '../generated/clients/method-map.js';
import { createOpenClawSurface, type OpenClawSurface } from '../generated/clients/openclaw-surface.js';
import { streamChat, type ChatStream, type ChatStreamOptions, type ChatStreamParams } from './runtime/chat-stream.js';
import { memoryDeviceTokenStore, signDeviceProof, type DeviceIdentity, type DeviceTokenStore } from './runtime/device-auth.js';
import { GatewayError } from './runtime/gateway-error.js';
import type { CallOptions, RpcCaller } from './runtime/rpc-caller.js';
import { serveRequests, type ServeSpec } from './runtime/request-serving.js';
import { refusalOf } from './runtime/rpc-calls.js';
import { RpcSession, type SessionOptions } from './runtime/rpc-session.js';
import { RwsSocketDriver } from './runtime/rws-socket-driver.js';
import { StandingSubscriptions } from './runtime/standing-subscriptions.js';
import { aliasFor, UPSTREAM_ALIASES } from './runtime/upstream-aliases.js';
import { PERMANENT_CONNECT_REFUSAL } from '../generated/clients/connect-refusals.js';
import type { ResFrame } from './runtime/session-types.js';
import type { SocketDriver } from './runtime/socket-driver.js';
import { platformName, resolveWebSocketClass, type WebSocketClass } from './runtime/websocket-impl.js';
import { SDK_VERSION } from './version.js';

type ConnectInput = Extract<ConnectParams, object>;

export interface OpenClawClientOptions extends SessionOptions {
  /** e.g. ws://127.0.0.1:18789/ws */
  readonly url: string;
  readonly token?: string;
  readonly password?: string;
  /** Requested scopes (default operator.admin); the granted ones are in `hello.auth.scopes`. */
  readonly scopes?: readonly string[];
  readonly role?: 'operator' | 'node';
  readonly caps?: readonly string[];
  /** Role node: the commands it serves, permission claims and its PATH. */
  readonly commands?: readonly string[];
  readonly permissions?: Readonly<Record<string, boolean>>;
  readonly pathEnv?: string;
  /**
   * An Ed25519 device identity (`loadOrCreateDeviceIdentity(path)` under Node,
   * `loadBrowserDeviceIdentity()` in browsers): connect signs the challenge with it, and the
   * device token the gateway issues is kept in `deviceTokens` and sent on later connects.
   */
  readonly deviceIdentity?: DeviceIdentity | Promise<DeviceIdentity>;
  /** Where device tokens are kept (default: in memory). */
  readonly deviceTokens?: DeviceTokenStore;
  readonly client?: Partial<ConnectInput['client']>;
  /** Wait this long for `connect.challenge`, then send `connect` without a nonce (default 2 000 ms). */
  readonly challengeTimeoutMs?: number;
  /** A socket that has not opened after this is abandoned and retried (default 10 000 ms). */
  readonly connectTimeoutMs?: number;
  /** Another WebSocket class (default: `ws` under Node, the native one in browsers). */
  readonly WebSocket?: WebSocketClass;
  /** Node only: options for `ws` (headers, TLS, maxPayload…). */
  readonly wsOptions?: ClientOptions;
}

type Surface = OpenClawSurface;
/** `client.chat` also streams: `for await (const d of client.chat.stream(p))`. */
export type OpenClawChat = Surface['chat'] & {
  stream(params: ChatStreamParams, options?: ChatStreamOptions): ChatStream;
};

export interface OpenClawClient extends Omit<Surface, 'chat'> {
  readonly chat: OpenClawChat;
}

// The namespaces are added by the generated surface; the interface above declares them.
export class OpenClawClient extends RpcSession<GatewayEvents> implements RpcCaller<GatewayMethods> {
  protected readonly driver: SocketDriver;
  private inner: SocketDriver | undefined;
  private auth: { token?: string | undefined; password?: string | undefined };
  private readonly standing = new StandingSubscriptions();
  private readonly deviceTokens: DeviceTokenStore;
  private identity: DeviceIdentity | undefined;
  /** Set by connectParams when the next connect frame needs its device block. */
  private signing: { readonly nonce: string | undefined } | undefined;
  private connectFrameId: string | undefined;
  private socketGeneration = 0;
  private readonly refusedListeners = new Set<(error: GatewayError) => void>();

  constructor(private readonly opts: OpenClawClientOptions) {
    super(opts, {
      challengeTimeoutMs: opts.challengeTimeoutMs ?? 2_000,
      permanentRefusal: PERMANENT_CONNECT_REFUSAL,
      keyed: KEYED_METHOD_NAMES,
      interim: INTERIM_METHOD_NAMES,
    });
    this.auth = { token: opts.token, password: opts.password };
    this.deviceTokens = opts.deviceTokens ?? memoryDeviceTokenStore();
    this.driver = {
      start: () => void this.startDriver(),
      send: (text) => this.writeFrame(text),
      drop: (code, reason) => this.inner?.drop(code, reason),
      stop: () => this.inner?.stop(),
    };
    const surface = createOpenClawSurface(this);
    Object.assign(this, surface, {
      chat: Object.assign(surface.chat, {
        stream: (params: ChatStreamParams, options?: ChatStreamOptions) =>
          streamChat(
            {
              request: (m, p, o) => this.request(m, p, o),
              onChat: (listener) => this.on('chat', listener),
              onReconnected: (listener) => this.on('ready', (e) => e.reconnected && listener()),
            },
            params,
            options,
          ),
      }),
    });
  }

  private async startDriver(): Promise<void> {
    let WebSocket: WebSocketClass;
    try {
      WebSocket = await resolveWebSocketClass(this.opts.WebSocket, this.opts.wsOptions ?? {});
    } catch (error) {
      this.report(error, 'websocket');
      return;
    }
    if (this.state === 'closed') return;
    this.inner = new RwsSocketDriver(this, () => this.opts.url, WebSocket, this.opts.connectTimeoutMs ?? 10_000);
    this.inner.start();
  }

  /** New credentials for the next handshake (e.g. after a pause on a bad token); then `reconnectNow()`. */
  setAuth(auth: { token?: string; password?: string }): void {
    this.auth = { ...auth };
  }

  protected connectParams(nonce: string | undefined): Record<string, unknown> {
    const node = typeof process !== 'undefined' && !!process.versions?.node;
    const params: ConnectInput = {
      minProtocol: 3,
      maxProtocol: 4,
      client: {
        id: node ? 'gateway-client' : 'openclaw-control-ui',
        version: SDK_VERSION,
        platform: platformName(),
        mode: node ? 'backend' : 'ui',
        ...this.opts.client,
      },
      role: this.opts.role ?? 'operator',
      scopes: this.opts.role === 'node' ? [] : [...(this.opts.scopes ?? ['operator.admin'])],
      caps: [...(this.opts.caps ?? [])],
    };
    if (this.opts.commands) params.commands = [...this.opts.commands];
    if (this.opts.permissions) params.permissions = { ...this.opts.permissions };
    if (this.opts.pathEnv) params.pathEnv = this.opts.pathEnv;
    if (this.auth.token || this.auth.password) {
      params.auth = this.auth.token ? { token: this.auth.token } : { password: this.auth.password! };
    }
    // With a device identity the frame is finished (token looked up, challenge signed) in sendFrame.
    if (this.opts.deviceIdentity) this.signing = { nonce };
    return params;
  }

  /** `listener` hears each refused connect (a pairing request waiting, a revoked device token…). */
  onRefused(listener: (error: GatewayError) => void): () => void {
    this.refusedListeners.add(listener);
    return () => this.refusedListeners.delete(listener);
  }

  override onOpen(): void {
    this.socketGeneration++;
    super.onOpen();
  }

  override onText(text: string): void {
    // Only the answer to our own connect frame, when it failed: cheap checks before parsing.
    if (this.connectFrameId && text.includes('"ok":false') && text.includes(this.connectFrameId)) {
      const frame = JSON.parse(text) as ResFrame;
      if (frame.type === 'res' && frame.id === this.connectFrameId) this.announceRefusal(refusalOf(frame, 'connect'));
    }
    super.onText(text);
  }

  private announceRefusal(error: GatewayError): void {
    // A revoked or rotated device token: forget it, so the next connect can get a new one.
    if (error.detailCode === 'AUTH_DEVICE_TOKEN_MISMATCH' && this.identity) void this.deviceTokens.clear(this.identity.deviceId, this.opts.role ?? 'operator');
    for (const listener of this.refusedListeners) {
      try {
        listener(error);
      } catch (thrown) {
        this.report(thrown, 'listener:refused');
      }
    }
  }

  /** The session's frames to the socket; the connect frame first gets its device token and signature. */
  private writeFrame(text: string): boolean {
    const signing = this.signing;
    if (!signing || !text.includes('"method":"connect"')) return this.inner?.send(text) ?? false;
    this.signing = undefined;
    const frame = JSON.parse(text) as { id: string; params: ConnectInput };
    this.connectFrameId = frame.id;
    const generation = this.socketGeneration;
    this.withDevice(frame.params, signing.nonce).then(
      (params) => {
        // Sent only on the socket it was built for.
        if (generation !== this.socketGeneration) return;
        frame.params = params as ConnectInput;
        this.inner?.send(JSON.stringify(frame));
      },
      (error: unknown) => {
        this.report(error, 'connect');
        this.inner?.drop(4000, 'device signing failed');
      },
    );
    return true;
  }

  /** Adds the stored device token and the signed device block (which needs the challenge nonce). */
  private async withDevice(params: ConnectInput, nonce: string | undefined): Promise<Record<string, unknown>> {
    const identity = (this.identity ??= await this.opts.deviceIdentity!);
    const stored = await this.deviceTokens.load(identity.deviceId, params.role);
    if (stored) {
      const auth: NonNullable<ConnectInput['auth']> = { deviceToken: stored };
      if (params.auth?.token) auth.token = params.auth.token;
      if (params.auth?.password) auth.password = params.auth.password;
      params.auth = auth;
    }
    if (!nonce) return params;
    params.device = await signDeviceProof(identity, {
      clientId: params.client.id,
      clientMode: params.client.mode,
      role: params.role,
      scopes: params.scopes ?? [],
      token: params.auth?.token ?? params.auth?.deviceToken ?? '',
      nonce,
      signedAt: Date.now(),
      platform: params.client.platform,
      deviceFamily: params.client.deviceFamily,
    });
    return params;
  }

  /** The device id this client proves in connect (once its identity has loaded). */
  get deviceId(): string | undefined {
    return this.identity?.deviceId;
  }

  /** Typed call of any method: `client.request('chat.send', {...})`. */
  request<K extends GatewayMethodName>(method: K, params: GatewayMethods[K]['params'], options?: CallOptions): Promise<GatewayMethods[K]['result']> {
    return this.requestUntyped(method, params, options) as Promise<GatewayMethods[K]['result']>;
  }

  /**
   * A call by name for methods this SDK does not know yet. Successful `x.subscribe` calls
   * (`sessions.subscribe`, `sessions.messages.subscribe {key}`…) are remembered and re-issued on
   * every new socket, before calls queued meanwhile, until the matching `x.unsubscribe`.
   */
  requestUntyped(method: string, params: unknown, options?: CallOptions): Promise<unknown> {
    if (Object.hasOwn(UPSTREAM_ALIASES, method)) return this.callAliased(method, params ?? {}, options);
    const outcome = this.standing.track(method, params ?? {});
    const result = this.call(method, params ?? {}, options);
    if (outcome) result.then((value) => outcome(true, value), () => outcome(false));
    return result;
  }

  /**
   * Seed names upstream gateways know under another name (sessions.spawn → sessions.create…):
   * once hello-ok says which one this gateway offers, the call goes there, adapted.
   */
  private async callAliased(method: string, params: unknown, options: CallOptions | undefined): Promise<unknown> {
    if (this.state !== 'ready' && (options?.whileDisconnected ?? this.opts.whileDisconnected) !== 'fail') await this.connect().catch(() => undefined);
    const alias = aliasFor(method, this.hello?.features.methods);
    if (!alias) return this.call(method, params, options);
    return alias.run((m, p, o) => this.call(m, p, o), params, options);
  }

  /**
   * Serves a gateway → client call: `event` delivers requests carrying an id, `spec.handle` runs each
   * once and its outcome goes back through the `spec.answer` method (e.g. node.invoke.request →
   * node.invoke.result; `serveNodeCommands` wraps exactly that). Returns the stop function.
   */
  serve<Req>(event: string, spec: ServeSpec<Req>): () => void {
    return serveRequests(this as unknown as Parameters<typeof serveRequests>[0], event, spec);
  }

  /** Subscriptions re-issued after a reconnect (what the gateway accepted and was not undone). */
  get subscriptions(): readonly { readonly method: string; readonly params: unknown }[] {
    return this.standing.list();
  }

  protected override afterReady(reconnected: boolean): void {
    const issued = this.hello?.auth.deviceToken;
    if (issued && this.identity) void Promise.resolve(this.deviceTokens.save(this.identity.deviceId, this.hello!.auth.role, issued, this.hello!.auth.scopes)).catch((error: unknown) => this.report(error, 'device-token'));
    if (!reconnected) return;
    for (const { method, params } of this.standing.list()) {
      this.call(method, params).catch((error: unknown) => this.report(error, `resubscribe:${method}`));
    }
  }
}

let singleton: OpenClawClient | undefined;
/** The options the singleton was built with (URL and token resolved), to check later calls against. */
let singletonOptions: OpenClawClientOptions | undefined;

/** Plain option values compare by content (scopes, client info), anything else by identity. */
function sameOption(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

/**
 * The process-wide client. URL and token come from OPENCLAW_GATEWAY_URL and OPENCLAW_AUTH_TOKEN
 * (or OPENCLAW_GATEWAY_TOKEN) unless given; it starts connecting as soon as it has a URL. Once it
 * exists, options that differ from the ones it was built with are refused (CLIENT_OPTIONS_CONFLICT)
 * rather than ignored: reset it first, or build a second client with `new OpenClawClient(options)`.
 */
export function getOpenClawClient(options: Partial<OpenClawClientOptions> = {}): OpenClawClient {
  if (singleton && singleton.state !== 'closed' && singletonOptions) {
    const built = singletonOptions;
    const conflicting = (Object.keys(options) as (keyof OpenClawClientOptions)[]).filter((k) => options[k] !== undefined && !sameOption(options[k], built[k]));
    if (conflicting.length > 0) {
      throw new GatewayError({
        kind: 'not-connected',
        code: 'CLIENT_OPTIONS_CONFLICT',
        message: `getOpenClawClient() already built the process-wide client with other ${conflicting.join(', ')}; call resetOpenClawClient() first, or use new OpenClawClient(options) for a second client`,
        details: { options: conflicting },
      });
    }
    return singleton;
  }
  const env = typeof process !== 'undefined' ? process.env : {};
  const url = options.url ?? env.OPENCLAW_GATEWAY_URL;
  if (!url) {
    throw new GatewayError({
      kind: 'not-connected',
      code: 'NO_GATEWAY_URL',
      message: 'no gateway URL: set OPENCLAW_GATEWAY_URL (e.g. ws://127.0.0.1:18789/ws) or pass { url }',
    });
  }
  const token = options.token ?? (env.OPENCLAW_AUTH_TOKEN || env.OPENCLAW_GATEWAY_TOKEN || undefined);
  singletonOptions = Object.assign({}, options, { url }, token ? { token } : {});
  singleton = new OpenClawClient(singletonOptions);
  void singleton.connect().catch(() => {});
  return singleton;
}

/** Closes and forgets the singleton (tests, hot reload). */
export function resetOpenClawClient(): void {
  singleton?.close();
  singleton = undefined;
  singletonOptions = undefined;
}

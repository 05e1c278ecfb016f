// The calls one session has in flight, on the PendingTable the gateway also uses for its calls to
// clients: each settles once (answered, failed, timed out, aborted) and releases its timer and abort
// listener. Calls wait in a queue while the connection is not ready and go out at hello-ok; a socket
// that closes fails the calls it carried, a pause fails the ones still waiting.
import { GatewayError, type GatewayErrorInit, type GatewayErrorKind } from './gateway-error.js';
import { PendingTable } from './pending-table.js';
import { randomId } from './random-id.js';
import type { CallOptions } from './rpc-caller.js';
import type { ConnectionState, ResFrame, SessionOptions, SessionTraits } from './session-types.js';

/** What the calls need of their session. */
export interface CallHost {
  readonly state: ConnectionState;
  /** Why reconnecting is paused (state `paused`). */
  readonly pausedReason: string;
  /** The last hello-ok (its negotiated protocol decides whether a `cancel` frame is understood). */
  readonly hello: { readonly protocol: number } | undefined;
  /** One text frame on the current socket; false when it could not be sent. */
  sendFrame(text: string): boolean;
  /** Starts connecting if nothing has yet (a call made before connect()); otherwise waits for the next hello-ok. */
  connect(): Promise<unknown>;
}

interface CallMeta {
  readonly id: string;
  readonly method: string;
  readonly params: unknown;
  readonly interim: boolean;
  readonly onInterim: ((payload: unknown) => void) | undefined;
  sent: boolean;
  interimSeen: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** An error init built field by field (no literal properties after a spread: V8 11.3 gives each such object its own map). */
type ErrorInitDraft = Mutable<GatewayErrorInit>;

export class RpcCalls {
  /** Every call until it settles; the ones not sent yet (`!sent`, oldest first) are the queue for the next hello-ok. */
  readonly #pending = new PendingTable<unknown, CallMeta>();
  readonly #prefix = `${randomId().slice(0, 8)}-`;
  #nextId = 0;

  readonly #host: CallHost;
  readonly #options: SessionOptions;
  readonly #traits: SessionTraits;

  constructor(host: CallHost, options: SessionOptions, traits: SessionTraits) {
    this.#host = host;
    this.#options = options;
    this.#traits = traits;
  }

  /** A request id unique to this session (calls and `connect` alike). */
  nextId(): string {
    return this.#prefix + ++this.#nextId;
  }

  /** One call by name, with an idempotencyKey filled in for keyed methods and retries after a dropped connection. */
  call(method: string, params: unknown, options: CallOptions = {}): Promise<unknown> {
    const keyed = this.#traits.keyed.includes(method);
    if (keyed && typeof params === 'object' && params && !(params as { idempotencyKey?: unknown }).idempotencyKey) {
      const withKey: Record<string, unknown> = { ...params };
      withKey.idempotencyKey = randomId();
      params = withKey;
    }
    const deadline = Date.now() + (options.timeoutMs ?? this.#options.timeoutMs ?? 30_000);
    let retries = options.retries ?? (keyed ? (this.#options.retries ?? 2) : 0);
    const attempt = (): Promise<unknown> =>
      this.#callOnce(method, params, options, deadline).catch((error: GatewayError) => {
        if (error.kind === 'closed' && retries-- > 0) return attempt();
        throw error;
      });
    return attempt();
  }

  #callOnce(method: string, params: unknown, o: CallOptions, deadline: number): Promise<unknown> {
    const host = this.#host;
    const state = host.state;
    const refuse = (kind: GatewayErrorKind, code: string, message: string): Promise<never> => Promise.reject(callError(kind, code, message, method));
    if (o.signal?.aborted) return refuse('aborted', 'ABORTED', `${method} was aborted`);
    if (state === 'closed') return Promise.reject(clientClosed());
    if (state !== 'ready') {
      if (state === 'paused') return Promise.reject(pausedError(host.pausedReason, method));
      if ((o.whileDisconnected ?? this.#options.whileDisconnected) === 'fail') return refuse('not-connected', 'NOT_CONNECTED', `not connected to the gateway (state ${state})`);
      if (this.#queued() >= (this.#options.maxQueued ?? 256)) return refuse('not-connected', 'QUEUE_FULL', 'too many calls waiting for the connection');
      host.connect().catch(() => {});
    }
    const meta: CallMeta = { id: this.nextId(), method, params, interim: this.#traits.interim.includes(method), onInterim: o.onInterim, sent: false, interimSeen: false };
    const ms = Math.max(0, deadline - Date.now());
    /** Ends the call locally: a `cancel` frame tells the gateway when it had the request. */
    const giveUp = (kind: GatewayErrorKind, code: string, message: string) => (m: CallMeta) => {
      if (m.sent && host.state === 'ready' && (host.hello?.protocol ?? 0) >= 4) host.sendFrame(JSON.stringify({ type: 'cancel', id: m.id }));
      return callError(kind, code, message, method, m.sent);
    };
    const answered = this.#pending.add(meta.id, meta, ms, giveUp('timeout', 'TIMEOUT', `${method}: no answer within ${ms} ms`), o.signal, giveUp('aborted', 'ABORTED', `${method} was aborted`));
    if (state === 'ready') this.#transmit(meta);
    return answered;
  }

  /** A `res` frame for one of our calls (the interim answer of a two-answer method goes to its onInterim). */
  onResponse(f: ResFrame): void {
    const meta = this.#pending.meta(f.id);
    if (!meta) return;
    if (!f.ok) {
      this.#pending.fail(f.id, refusalOf(f, meta.method));
    } else if (meta.interim && !meta.interimSeen) {
      meta.interimSeen = true;
      meta.onInterim?.(f.payload);
    } else {
      this.#pending.settle(f.id, f.payload);
    }
  }

  /** hello-ok: the calls that waited go out, in order. */
  sendQueued(): void {
    if (this.#host.state === 'ready') this.#pending.forEach((meta) => meta.sent || this.#transmit(meta));
  }

  /** The socket closed: calls it carried fail (`closed`, so keyed ones retry); queued ones keep waiting. */
  failSent(reason: string): void {
    this.#pending.failWhere(
      (m) => closedError(m, reason),
      (m) => m.sent,
    );
  }

  /** Reconnecting paused: the calls still waiting for a connection fail with the reason. */
  failQueued(reason: string, details: unknown): void {
    this.#pending.failWhere(
      (m) => pausedError(reason, m.method, details),
      (m) => !m.sent,
    );
  }

  /** The client closed for good: every call fails. */
  failAll(): void {
    this.#pending.failWhere((m) => (m.sent ? closedError(m, 'client closed') : clientClosed()));
  }

  /** A call the socket did not take stays unsent: it goes out at the next hello-ok. */
  #transmit(meta: CallMeta): void {
    meta.sent = this.#host.sendFrame(JSON.stringify({ type: 'req', id: meta.id, method: meta.method, params: meta.params }));
  }

  /** Calls waiting for a connection (not sent yet). */
  #queued(): number {
    let count = 0;
    this.#pending.forEach((meta) => void (meta.sent || count++));
    return count;
  }}

/** The gateway's `ok:false` answer to `method` as a GatewayError. */
export function refusalOf(f: ResFrame, method: string): GatewayError {
  const init: ErrorInitDraft = { kind: 'gateway', ...(f.error ?? { code: 'INTERNAL', message: 'no error given' }) };
  init.method = method;
  init.sent = true;
  return new GatewayError(init);
}

function callError(kind: GatewayErrorKind, code: string, message: string, method?: string, sent?: boolean): GatewayError {
  return new GatewayError({ kind, code, message, method, sent });
}

export function pausedError(reason: string, method?: string, details?: unknown): GatewayError {
  return new GatewayError({ kind: 'not-connected', code: 'CONNECTION_PAUSED', message: `reconnecting is paused: ${reason}`, method, details });
}

/** The client was closed for good (calls made after, and calls it had not sent). */
export const clientClosed = (): GatewayError => callError('not-connected', 'CLIENT_CLOSED', 'the client was closed');

function closedError(meta: CallMeta, reason: string): GatewayError {
  return callError('closed', 'CONNECTION_CLOSED', `connection closed before ${meta.method} was answered (${reason})`, meta.method, meta.sent);
}

// The connection core both SDKs share: handshake, the gate (nothing but `connect` leaves before
// hello-ok on the current socket), pending calls with timeouts and cancellation, reconnect timing,
// event delivery with per-socket seq gap detection, and the tick watchdog. Drivers own the socket.
import { EventChannels } from './event-channels.js';
import { GatewayError, type GatewayErrorInit, type GatewayErrorKind } from './gateway-error.js';
import { randomId } from './random-id.js';
import type { CallOptions } from './rpc-caller.js';
import type { ConnectionEvents, ConnectionState, EventFrame, HelloOk, Pending, ResFrame, SessionOptions, SessionTraits } from './session-types.js';
import type { SocketDriver } from './socket-driver.js';

export type { ConnectionEvents, ConnectionState, HelloOk, SessionOptions, SessionTraits } from './session-types.js';
export { randomId } from './random-id.js';

/** Handshake failures that retrying cannot fix: reconnecting pauses until the caller acts. */
const FATAL_CONNECT = /^(AUTH_(?!RATE_LIMITED)|DEVICE_AUTH_|PROTOCOL_MISMATCH|INVALID_PARAMS)/;

type EventMap<E> = E & ConnectionEvents;
/** An error init built field by field (no literal properties after a spread: V8 11.3 gives each such object its own map). */
type ErrorInitDraft = { -readonly [K in keyof GatewayErrorInit]: GatewayErrorInit[K] };

export abstract class RpcSession<E extends object> {
  state: ConnectionState = 'idle';
  /** The last hello-ok: negotiated protocol, granted scopes, features, policy. */
  hello: HelloOk | undefined;
  protected readonly listeners = new EventChannels((error, name) => this.report(error, `listener:${name}`));
  protected abstract readonly driver: SocketDriver;

  readonly #pending = new Map<string, Pending>();
  #queue: Pending[] = [];
  readonly #prefix = `${randomId().slice(0, 8)}-`;
  #nextId = 0;
  #seq = 0;
  #attempt = 0;
  #everReady = false;
  #immediate = false;
  #floorMs = 0;
  #lastInbound = 0;
  #connectId: string | undefined;
  #pausedReason = '';
  #started = false;
  #wake: (() => void) | undefined;
  #timers: ReturnType<typeof setTimeout>[] = [];
  #watchdog: ReturnType<typeof setInterval> | undefined;
  #readyWaiters: { resolve(hello: HelloOk): void; reject(error: GatewayError): void }[] = [];
  /** Events that arrived between our connect and its hello-ok; delivered right after it. */
  #early: EventFrame[] = [];

  readonly #traits: SessionTraits;

  constructor(
    protected readonly options: SessionOptions,
    traits: SessionTraits,
  ) {
    this.#traits = traits;
  }

  /** The `connect` params for a new socket; `nonce` is the challenge's (undefined without one). May be async (signing a device proof). */
  protected abstract connectParams(nonce: string | undefined): Record<string, unknown> | Promise<Record<string, unknown>>;

  /** Hook at each hello-ok, before `ready` listeners and queued calls (the full client re-subscribes here). */
  protected afterReady(_reconnected: boolean): void {}

  /** Starts connecting (idempotent); resolves at hello-ok, rejects when reconnecting pauses or the client closes. */
  connect(): Promise<HelloOk> {
    if (this.state === 'ready' && this.hello) return Promise.resolve(this.hello);
    if (this.state === 'closed') return Promise.reject(this.#localError('not-connected', 'CLIENT_CLOSED', 'the client was closed'));
    const waiting = new Promise<HelloOk>((resolve, reject) => this.#readyWaiters.push({ resolve, reject }));
    if (!this.#started) {
      this.#started = true;
      this.driver.start();
    } else if (this.state === 'paused') this.reconnectNow();
    return waiting;
  }

  /** Skips the backoff wait (and lifts a pause); a live socket is replaced by a fresh one. */
  reconnectNow(): void {
    if (this.state === 'closed' || this.state === 'idle') return;
    this.#immediate = true;
    if (this.state === 'paused') this.state = 'reconnecting';
    if (this.#wake) this.#wake();
    else if (this.state !== 'reconnecting') this.driver.drop(1000, 'reconnect requested');
  }

  /** Subscribes to a gateway event or a connection event; returns the unsubscribe function. */
  on<K extends keyof EventMap<E> & string>(event: K, listener: (payload: EventMap<E>[K]) => void): () => void;
  /** Every gateway event (not connection events). */
  on(event: '*', listener: (payload: E[keyof E], event: keyof E & string) => void): () => void;
  on(event: string, listener: (payload: never, event: never) => void): () => void {
    return this.listeners.on(event, listener as (payload: never, name: string) => void);
  }

  /** Like `on`, for the next occurrence only. */
  once<K extends keyof EventMap<E> & string>(event: K, listener: (payload: EventMap<E>[K]) => void): () => void {
    const off = this.listeners.on(event, (payload: never) => {
      off();
      listener(payload);
    });
    return off;
  }

  /** Whether the gateway advertised `method` to this connection in hello-ok. */
  hasMethod(method: string): boolean {
    return this.hello?.features.methods.includes(method) ?? false;
  }

  /** Closes for good: pending and queued calls fail, no reconnect. */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.#clearTimers();
    const error = this.#localError('not-connected', 'CLIENT_CLOSED', 'the client was closed');
    for (const p of [...this.#pending.values()]) this.#settle(p, p.sent ? this.#closedError(p, 'client closed') : error);
    this.#settleWaiters(error);
    this.#wake?.();
    this.driver.stop();
    this.listeners.emit('closed', { code: 1000, reason: 'client closed', final: true });
  }

  /** One call by name; subclasses expose it typed as `request`. */
  protected call(method: string, params: unknown, options: CallOptions = {}): Promise<unknown> {
    const keyed = this.#traits.keyed.includes(method);
    if (keyed && typeof params === 'object' && params && !(params as { idempotencyKey?: unknown }).idempotencyKey) {
      const keyed: Record<string, unknown> = { ...params };
      keyed.idempotencyKey = randomId();
      params = keyed;
    }
    const deadline = Date.now() + (options.timeoutMs ?? this.options.timeoutMs ?? 30_000);
    let retries = options.retries ?? (keyed ? (this.options.retries ?? 2) : 0);
    const attempt = (): Promise<unknown> =>
      this.#callOnce(method, params, options, deadline).catch((error: GatewayError) => {
        if (error.kind === 'closed' && retries-- > 0) return attempt();
        throw error;
      });
    return attempt();
  }

  #callOnce(method: string, params: unknown, o: CallOptions, deadline: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const p: Pending = {
        id: this.#prefix + ++this.#nextId,
        method,
        params,
        interim: this.#traits.interim.includes(method),
        onInterim: o.onInterim,
        resolve,
        reject,
        sent: false,
        interimSeen: false,
      };
      const refuse = (kind: GatewayErrorKind, code: string, message: string): void =>
        reject(new GatewayError({ kind, code, message, method }));
      if (o.signal?.aborted) return refuse('aborted', 'ABORTED', `${method} was aborted`);
      if (this.state === 'closed') return refuse('not-connected', 'CLIENT_CLOSED', 'the client was closed');
      if (this.state !== 'ready') {
        if (this.state === 'paused') return refuse('not-connected', 'CONNECTION_PAUSED', `reconnecting is paused: ${this.#pausedReason}`);
        if ((o.whileDisconnected ?? this.options.whileDisconnected) === 'fail') {
          return refuse('not-connected', 'NOT_CONNECTED', `not connected to the gateway (state ${this.state})`);
        }
        if (this.#queue.length >= (this.options.maxQueued ?? 256)) return refuse('not-connected', 'QUEUE_FULL', 'too many calls waiting for the connection');
        if (!this.#started) this.connect().catch(() => {});
      }
      const ms = Math.max(0, deadline - Date.now());
      p.timer = setTimeout(() => {
        this.#cancelOnWire(p);
        this.#settle(p, new GatewayError({ kind: 'timeout', code: 'TIMEOUT', message: `${method}: no answer within ${ms} ms`, method, sent: p.sent }));
      }, ms);
      if (o.signal) {
        const signal = o.signal;
        const onAbort = (): void => {
          this.#cancelOnWire(p);
          this.#settle(p, new GatewayError({ kind: 'aborted', code: 'ABORTED', message: `${method} was aborted`, method, sent: p.sent }));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        p.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.#pending.set(p.id, p);
      if (this.state === 'ready') this.#transmit(p);
      else this.#queue.push(p);
    });
  }

  #transmit(p: Pending): void {
    if (this.driver.send(JSON.stringify({ type: 'req', id: p.id, method: p.method, params: p.params }))) p.sent = true;
    else this.#queue.push(p);
  }

  #settle(p: Pending, error: GatewayError | undefined, value?: unknown): void {
    if (!this.#pending.delete(p.id)) return;
    clearTimeout(p.timer);
    p.cleanup?.();
    if (!p.sent) this.#queue = this.#queue.filter((q) => q !== p);
    if (error) p.reject(error);
    else p.resolve(value);
  }

  #cancelOnWire(p: Pending): void {
    if (p.sent && this.state === 'ready' && (this.hello?.protocol ?? 0) >= 4) this.driver.send(JSON.stringify({ type: 'cancel', id: p.id }));
  }

  #closedError(p: Pending, reason: string): GatewayError {
    return new GatewayError({ kind: 'closed', code: 'CONNECTION_CLOSED', message: `connection closed before ${p.method} was answered (${reason})`, method: p.method, sent: p.sent });
  }

  #localError(kind: GatewayErrorKind, code: string, message: string): GatewayError {
    return new GatewayError({ kind, code, message });
  }

  #settleWaiters(error: GatewayError | undefined): void {
    const waiters = this.#readyWaiters;
    this.#readyWaiters = [];
    for (const w of waiters) {
      if (error) w.reject(error);
      else w.resolve(this.hello!);
    }
  }

  /** Drivers call this before each socket; false means stop (closed). */
  async waitTurn(): Promise<boolean> {
    while (this.state === 'paused') await new Promise<void>((r) => (this.#wake = r));
    this.#wake = undefined;
    if (this.state === 'closed') return false;
    const attempt = ++this.#attempt;
    if (!this.#immediate && (attempt > 1 || this.#everReady)) {
      const retry = this.#everReady ? attempt : attempt - 1;
      const base = Math.min(this.options.reconnectMaxMs ?? 30_000, (this.options.reconnectMinMs ?? 500) * 2 ** (retry - 1));
      const delayMs = Math.round(Math.max(this.#floorMs, base / 2 + (Math.random() * base) / 2));
      this.state = 'reconnecting';
      this.listeners.emit('reconnecting', { attempt, delayMs });
      await new Promise<void>((r) => {
        const t = setTimeout(r, delayMs);
        this.#wake = () => {
          clearTimeout(t);
          r();
        };
      });
      this.#wake = undefined;
      if ((this.state as ConnectionState) !== 'reconnecting') return this.waitTurn();
    }
    this.#immediate = false;
    this.state = 'connecting';
    this.listeners.emit('connecting', { attempt });
    return true;
  }

  /** The driver's socket opened. */
  onOpen(): void {
    if (this.state === 'closed') return;
    this.#seq = 0;
    this.#connectId = undefined;
    this.#early = [];
    this.state = 'authenticating';
    this.listeners.emit('authenticating', { attempt: this.#attempt });
    this.#timers.push(setTimeout(() => this.driver.drop(4000, 'handshake timeout'), this.options.handshakeTimeoutMs ?? 15_000));
    if (this.#traits.challengeTimeoutMs > 0) this.#timers.push(setTimeout(() => this.#sendConnect(undefined), this.#traits.challengeTimeoutMs));
    else this.#sendConnect(undefined);
  }

  #sendConnect(nonce: string | undefined): void {
    if (this.#connectId || this.state !== 'authenticating') return;
    const id = (this.#connectId = this.#prefix + ++this.#nextId);
    // Sent only if this socket is still the one waiting for it.
    Promise.resolve()
      .then(() => this.connectParams(nonce))
      .then(
        (params) => this.#connectId === id && this.state === 'authenticating' && this.driver.send(JSON.stringify({ type: 'req', id, method: 'connect', params })),
        (error: unknown) => (this.report(error, 'connect'), this.driver.drop(4000, 'connect params failed')),
      );
  }

  /** One text frame from the driver's socket. */
  onText(text: string): void {
    this.#lastInbound = Date.now();
    let frame: ResFrame | EventFrame;
    try {
      frame = JSON.parse(text) as ResFrame | EventFrame;
    } catch (error) {
      this.report(error, 'frame');
      return;
    }
    if (frame.type === 'res') this.#onRes(frame);
    else if (frame.type === 'event') this.#onEvent(frame);
  }

  #onEvent(f: EventFrame): void {
    if (this.state !== 'ready') {
      if (f.event === 'connect.challenge') this.#sendConnect((f.payload as { nonce?: string } | undefined)?.nonce);
      else if (this.#connectId && this.#early.length < 256) this.#early.push(f);
      return;
    }
    if (typeof f.seq === 'number') {
      if (f.seq !== this.#seq + 1) this.listeners.emit('gap', { expected: this.#seq + 1, received: f.seq, event: f.event });
      this.#seq = f.seq;
    }
    this.listeners.emit(f.event, f.payload, true);
  }

  #onRes(f: ResFrame): void {
    if (f.id === this.#connectId && this.state === 'authenticating') return this.#onHello(f);
    const p = this.#pending.get(f.id);
    if (!p) return;
    if (!f.ok) {
      const init: ErrorInitDraft = { kind: 'gateway', ...(f.error ?? { code: 'INTERNAL', message: 'no error given' }) };
      init.method = p.method;
      init.sent = true;
      this.#settle(p, new GatewayError(init));
    } else if (p.interim && !p.interimSeen) {
      p.interimSeen = true;
      p.onInterim?.(f.payload);
    } else {
      this.#settle(p, undefined, f.payload);
    }
  }

  #onHello(f: ResFrame): void {
    this.#clearTimers();
    if (!f.ok) {
      const init: ErrorInitDraft = { kind: 'gateway', ...(f.error ?? { code: 'INTERNAL', message: 'connect refused' }) };
      init.method = 'connect';
      init.sent = true;
      const error = new GatewayError(init);
      this.listeners.emit('refused', { error });
      const code = error.detailCode ?? error.code;
      if (code === 'AUTH_RATE_LIMITED') this.#floorMs = error.retryAfterMs ?? 0;
      else if (FATAL_CONNECT.test(code)) this.#pause(`${code}: ${error.message}`, error);
      return;
    }
    const hello = f.payload as HelloOk;
    const reconnected = this.#everReady;
    this.hello = hello;
    this.#everReady = true;
    this.#attempt = 0;
    this.#floorMs = 0;
    this.state = 'ready';
    this.#lastInbound = Date.now();
    const tick = hello.policy?.tickIntervalMs ?? 30_000;
    this.#watchdog = setInterval(() => {
      if (Date.now() - this.#lastInbound > 2 * tick) this.driver.drop(4000, 'tick timeout');
    }, Math.max(50, tick / 4));
    (this.#watchdog as { unref?: () => void }).unref?.();
    for (const early of this.#early.splice(0)) this.#onEvent(early);
    this.afterReady(reconnected);
    this.listeners.emit('ready', { hello, reconnected });
    this.#settleWaiters(undefined);
    const queued = this.#queue;
    this.#queue = [];
    for (const p of queued) if (this.#pending.has(p.id) && this.state === 'ready') this.#transmit(p);
  }

  #pause(reason: string, error: GatewayError | undefined): void {
    this.state = 'paused';
    this.#pausedReason = reason;
    this.listeners.emit('paused', { reason, error });
    const refusal = error ?? this.#localError('not-connected', 'CONNECTION_PAUSED', reason);
    this.#settleWaiters(refusal);
    for (const p of [...this.#pending.values()]) {
      if (!p.sent) this.#settle(p, new GatewayError({ kind: 'not-connected', code: 'CONNECTION_PAUSED', message: `reconnecting is paused: ${reason}`, method: p.method, details: error?.details }));
    }
  }

  /** The driver's socket closed (or was dropped); the gate shuts before anything else runs. */
  onClose(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.#clearTimers();
    if (this.state !== 'paused') this.state = 'reconnecting';
    if (code === 1002 && this.state !== 'paused') this.#pause(`PROTOCOL_MISMATCH: ${reason || 'protocol mismatch'}`, undefined);
    for (const p of [...this.#pending.values()]) if (p.sent) this.#settle(p, this.#closedError(p, `${code} ${reason}`.trim()));
    this.listeners.emit('closed', { code, reason, final: false });
  }

  #clearTimers(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers = [];
    clearInterval(this.#watchdog);
    this.#watchdog = undefined;
  }

  protected report(error: unknown, source: string): void {
    if (source !== 'listener:error' && this.listeners.has('error')) this.listeners.emit('error', { error, source });
    else console.error(`[openclaw client] ${source}:`, error);
  }
}

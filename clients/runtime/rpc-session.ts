// The connection core both SDKs share: handshake, the gate (nothing but `connect` leaves before
// hello-ok on the current socket), event delivery with per-socket seq gap detection, the tick
// watchdog and the connection states. Calls in flight are in rpc-calls.ts, reconnect timing in
// reconnect-policy.ts; drivers own the socket.
import { EventChannels } from './event-channels.js';
import type { GatewayError } from './gateway-error.js';
import { reconnectDelay } from './reconnect-policy.js';
import type { CallOptions } from './rpc-caller.js';
import { clientClosed, pausedError, refusalOf, RpcCalls, type CallHost } from './rpc-calls.js';
import type { ConnectionEvents, ConnectionState, EventFrame, HelloOk, ResFrame, SessionOptions, SessionTraits } from './session-types.js';
import type { SocketDriver } from './socket-driver.js';

export type { ConnectionEvents, ConnectionState, HelloOk, SessionOptions, SessionTraits } from './session-types.js';
export { randomId } from './random-id.js';

/** Handshake failures that retrying cannot fix: reconnecting pauses until the caller acts. */
const FATAL_CONNECT = /^(AUTH_(?!RATE_LIMITED)|DEVICE_AUTH_|PROTOCOL_MISMATCH|INVALID_PARAMS)/;

type EventMap<E> = E & ConnectionEvents;

export abstract class RpcSession<E extends object> implements CallHost {
  state: ConnectionState = 'idle';
  /** The last hello-ok: negotiated protocol, granted scopes, features, policy. */
  hello: HelloOk | undefined;
  readonly #listeners = new EventChannels((error, name) => this.report(error, `listener:${name}`));
  protected abstract readonly driver: SocketDriver;

  readonly #calls: RpcCalls;
  #seq = 0;
  #attempt = 0;
  #everReady = false;
  #immediate = false;
  #floorMs = 0;
  #lastInbound = 0;
  #connectId: string | undefined;
  /** Why reconnecting is paused (state `paused`). */
  pausedReason = '';
  #started = false;
  #wake: (() => void) | undefined;
  #timers: ReturnType<typeof setTimeout>[] = [];
  #watchdog: ReturnType<typeof setInterval> | undefined;
  #readyWaiters: { resolve(hello: HelloOk): void; reject(error: GatewayError): void }[] = [];
  /** Events that arrived between our connect and its hello-ok; delivered right after it. */
  #early: EventFrame[] = [];

  readonly #traits: SessionTraits;

  readonly #options: SessionOptions;

  constructor(options: SessionOptions, traits: SessionTraits) {
    this.#options = options;
    this.#traits = traits;
    this.#calls = new RpcCalls(this, options, traits);
  }

  /** The `connect` params for a new socket; `nonce` is the challenge's (undefined without one). */
  protected abstract connectParams(nonce: string | undefined): Record<string, unknown>;

  /** Hook at each hello-ok, before `ready` listeners and queued calls (the full client re-subscribes here). */
  protected afterReady(_reconnected: boolean): void {}

  /** Starts connecting (idempotent); resolves at hello-ok, rejects when reconnecting pauses or the client closes. */
  connect(): Promise<HelloOk> {
    if (this.state === 'ready' && this.hello) return Promise.resolve(this.hello);
    if (this.state === 'closed') return Promise.reject(clientClosed());
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
    return this.#listeners.on(event, listener as (payload: never, name: string) => void);
  }

  /** Like `on`, for the next occurrence only. */
  once<K extends keyof EventMap<E> & string>(event: K, listener: (payload: EventMap<E>[K]) => void): () => void {
    const off = this.#listeners.on(event, (payload: never) => {
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
    const error = clientClosed();
    this.#calls.failAll();
    this.#settleWaiters(error);
    this.#wake?.();
    this.driver.stop();
    this.#listeners.emit('closed', { code: 1000, reason: 'client closed', final: true });
  }

  /** @internal One text frame on the current socket (for the calls in flight). */
  sendFrame(text: string): boolean {
    return this.driver.send(text);
  }

  /** One call by name; subclasses expose it typed as `request`. */
  protected call(method: string, params: unknown, options: CallOptions = {}): Promise<unknown> {
    return this.#calls.call(method, params, options);
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
    const delayMs = this.#immediate ? 0 : reconnectDelay(attempt, this.#everReady, this.#floorMs, this.#options);
    if (delayMs > 0) {
      this.state = 'reconnecting';
      this.#listeners.emit('reconnecting', { attempt, delayMs });
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
    this.#listeners.emit('connecting', { attempt });
    return true;
  }

  /** The driver's socket opened. */
  onOpen(): void {
    if (this.state === 'closed') return;
    this.#seq = 0;
    this.#connectId = undefined;
    this.#early = [];
    this.state = 'authenticating';
    this.#listeners.emit('authenticating', { attempt: this.#attempt });
    this.#timers.push(setTimeout(() => this.driver.drop(4000, 'handshake timeout'), this.#options.handshakeTimeoutMs ?? 15_000));
    if (this.#traits.challengeTimeoutMs > 0) this.#timers.push(setTimeout(() => this.#sendConnect(undefined), this.#traits.challengeTimeoutMs));
    else this.#sendConnect(undefined);
  }

  #sendConnect(nonce: string | undefined): void {
    if (this.#connectId || this.state !== 'authenticating') return;
    this.#connectId = this.#calls.nextId();
    this.driver.send(JSON.stringify({ type: 'req', id: this.#connectId, method: 'connect', params: this.connectParams(nonce) }));
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
      if (f.seq !== this.#seq + 1) this.#listeners.emit('gap', { expected: this.#seq + 1, received: f.seq, event: f.event });
      this.#seq = f.seq;
    }
    this.#listeners.emit(f.event, f.payload, true);
  }

  #onRes(f: ResFrame): void {
    if (f.id === this.#connectId && this.state === 'authenticating') return this.#onHello(f);
    this.#calls.onResponse(f);
  }

  #onHello(f: ResFrame): void {
    this.#clearTimers();
    if (!f.ok) {
      const error = refusalOf(f, 'connect');
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
    this.#listeners.emit('ready', { hello, reconnected });
    this.#settleWaiters(undefined);
    this.#calls.sendQueued();
  }

  #pause(reason: string, error: GatewayError | undefined): void {
    this.state = 'paused';
    this.pausedReason = reason;
    this.#listeners.emit('paused', { reason, error });
    const refusal = error ?? pausedError(reason);
    this.#settleWaiters(refusal);
    this.#calls.failQueued(reason, error?.details);
  }

  /** The driver's socket closed (or was dropped); the gate shuts before anything else runs. */
  onClose(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.#clearTimers();
    if (this.state !== 'paused') this.state = 'reconnecting';
    if (code === 1002 && this.state !== 'paused') this.#pause(`PROTOCOL_MISMATCH: ${reason || 'protocol mismatch'}`, undefined);
    this.#calls.failSent(`${code} ${reason}`.trim());
    this.#listeners.emit('closed', { code, reason, final: false });
  }

  #clearTimers(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers = [];
    clearInterval(this.#watchdog);
    this.#watchdog = undefined;
  }

  protected report(error: unknown, source: string): void {
    if (source !== 'listener:error' && this.#listeners.has('error')) this.#listeners.emit('error', { error, source });
    else console.error(`[openclaw client] ${source}:`, error);
  }
}

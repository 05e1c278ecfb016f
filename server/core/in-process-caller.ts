// createCaller(principal): a caller inside the gateway process — a cron job, a channel adapter, the
// node router, a test — that goes through the same dispatcher as a WebSocket client (lookup, scope,
// validation, in-flight limit, typed errors) with no socket. Answers cross a JSON round trip, so a
// caller sees exactly what a client would and can never share objects with a handler. It can also
// receive events, filtered by the same scope rules as connections.
import { randomUUID } from 'node:crypto';
import type { OperatorScope } from '../../contract/define.js';
import type { ConnectParams, Role } from '../../contract/schemas/connect.js';
import type { ErrorShape } from '../../contract/schemas/errors.js';
import type { HandledMethodName, InterimMethodName, MethodInterim, MethodParams, MethodResult } from '../../generated/server/method-types.js';
import type { ConnectionHandle } from './connection-handle.js';
import type { CallPort, Dispatcher } from './dispatcher.js';
import { gatewayErrors } from './error-constructors.js';
import { GatewayError } from './gateway-error.js';
import type { PendingCall } from './pending-call.js';

/** Who an in-process caller is. Scopes are granted exactly as a connection's would be. */
export interface CallerPrincipal {
  /** Stable name for logs and presence-free bookkeeping, e.g. `cron:<jobId>` or `channel:irc:default`. */
  readonly id: string;
  readonly role?: Role;
  readonly scopes: readonly OperatorScope[];
  /** Shown as the client to handlers (`ctx.connection.client`); defaults to a gateway backend. */
  readonly client?: Partial<ConnectParams['client']>;
  /** Capabilities, as a connection would declare them in connect (e.g. `tool-events`). */
  readonly caps?: readonly string[];
}

export interface CallOptions<M extends HandledMethodName> {
  readonly signal?: AbortSignal;
  readonly traceparent?: string;
  /** The first of two answers, for methods that have one (`agent`: accepted). */
  readonly onInterim?: M extends InterimMethodName ? (payload: MethodInterim<M>) => void : never;
}

/** The params a caller passes: what a client would send (defaults may be left out). */
export type CallerParams<M extends HandledMethodName> = Partial<MethodParams<M>> & Record<string, unknown>;

export interface InProcessCaller {
  readonly handle: ConnectionHandle;
  /** One call through the dispatcher. Rejects with a GatewayError carrying the wire error's code and details. */
  call<M extends HandledMethodName>(method: M, params?: CallerParams<M> | MethodParams<M>, options?: CallOptions<M>): Promise<MethodResult<M>>;
  /** Events this caller's scopes admit (only those published to every recipient, or to this handle). */
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
  /** Aborts everything in flight and stops events; `onClose` listeners run. */
  close(): void;
}

interface Waiter {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  onInterim: ((payload: never) => void) | undefined;
}

const roundTrip = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

export function errorFromShape(error: ErrorShape, payload?: unknown): GatewayError {
  const options: ConstructorParameters<typeof GatewayError>[2] = {};
  if (error.details !== undefined) options.details = error.details as NonNullable<typeof options.details>;
  if (error.retryable !== undefined) options.retryable = error.retryable;
  if (error.retryAfterMs !== undefined) options.retryAfterMs = error.retryAfterMs;
  if (payload !== undefined) options.payload = payload;
  return new GatewayError(error.code as GatewayError['code'], error.message, options);
}

class InProcessPort implements CallPort, ConnectionHandle {
  readonly connId = `in-process:${randomUUID()}`;
  readonly protocol = 4;
  readonly role: Role;
  readonly scopes: ReadonlySet<OperatorScope>;
  readonly caps: ReadonlySet<string>;
  readonly client: ConnectParams['client'];
  readonly remoteAddress = 'in-process';
  readonly deviceId = undefined;
  readonly inflight = new Map<string, PendingCall>();
  readonly waiters = new Map<string, Waiter>();
  readonly eventListeners = new Set<(event: string, payload: unknown) => void>();
  private readonly closeListeners = new Set<() => void>();
  private open = true;

  constructor(principal: CallerPrincipal, version: string) {
    this.role = principal.role ?? 'operator';
    this.scopes = new Set(principal.scopes);
    this.caps = new Set(principal.caps ?? []);
    this.client = { id: 'gateway-client', version, platform: process.platform, mode: 'backend', displayName: principal.id, ...principal.client };
  }

  get handle(): ConnectionHandle {
    return this;
  }

  isReady(): boolean {
    return this.open;
  }

  isOpen(): boolean {
    return this.open;
  }

  onClose(listener: () => void): () => void {
    if (!this.open) {
      listener();
      return () => {};
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  deliverEvent(event: string, payloadJson: string | undefined): boolean {
    if (!this.open || this.eventListeners.size === 0) return false;
    const payload: unknown = payloadJson === undefined ? undefined : JSON.parse(payloadJson);
    for (const listener of this.eventListeners) listener(event, payload);
    return true;
  }

  interim(id: string, payload: unknown): void {
    this.waiters.get(id)?.onInterim?.(roundTrip(payload) as never);
  }

  answer(id: string, payload: unknown): boolean {
    let copy: unknown;
    try {
      copy = roundTrip(payload);
    } catch {
      return false;
    }
    const waiter = this.waiters.get(id);
    this.waiters.delete(id);
    waiter?.resolve(copy);
    return true;
  }

  fail(id: string, error: ErrorShape, payload?: unknown): void {
    const waiter = this.waiters.get(id);
    this.waiters.delete(id);
    waiter?.reject(errorFromShape(error, payload));
  }

  shut(): void {
    if (!this.open) return;
    this.open = false;
    this.eventListeners.clear();
    for (const listener of this.closeListeners) listener();
    this.closeListeners.clear();
  }
}

/** Hub registration for callers that want events (added on the first listener). */
export interface EventRegistry {
  add(handle: ConnectionHandle): void;
  remove(handle: ConnectionHandle): void;
}

export function createInProcessCaller(dispatcher: Dispatcher, events: EventRegistry, principal: CallerPrincipal, version: string): InProcessCaller {
  const port = new InProcessPort(principal, version);
  let counter = 0;
  return {
    handle: port,
    call<M extends HandledMethodName>(method: M, params?: unknown, options: CallOptions<M> = {}): Promise<MethodResult<M>> {
      if (!port.isOpen()) return Promise.reject(new GatewayError('UNAVAILABLE', `caller ${principal.id} is closed`));
      const id = `${principal.id}#${++counter}`;
      const { signal } = options;
      if (signal?.aborted) return Promise.reject(gatewayErrors.REQUEST_CANCELLED({}, `${method} was aborted`));
      return new Promise<MethodResult<M>>((resolve, reject) => {
        const onAbort = (): void => void dispatcher.cancel(port, id);
        const done = (): void => signal?.removeEventListener('abort', onAbort);
        port.waiters.set(id, {
          resolve: (value) => (done(), resolve(value as MethodResult<M>)),
          reject: (error) => (done(), reject(error)),
          onInterim: options.onInterim as Waiter['onInterim'],
        });
        signal?.addEventListener('abort', onAbort, { once: true });
        // Params cross the same JSON boundary a client's would: no shared objects, no non-JSON values.
        let wire: unknown;
        try {
          wire = roundTrip(params ?? {});
        } catch {
          port.fail(id, gatewayErrors.INVALID_PARAMS({}, `invalid ${method} params: not JSON-serialisable`).toShape());
          return;
        }
        dispatcher.dispatch(port, id, method, wire, options.traceparent);
      });
    },
    onEvent(listener) {
      if (port.eventListeners.size === 0 && port.isOpen()) events.add(port);
      port.eventListeners.add(listener);
      return () => {
        port.eventListeners.delete(listener);
        if (port.eventListeners.size === 0) events.remove(port);
      };
    },
    close() {
      if (!port.isOpen()) return;
      events.remove(port);
      dispatcher.dropAll(port, `caller ${principal.id} closed`);
      for (const [id, waiter] of port.waiters) {
        port.waiters.delete(id);
        waiter.reject(new GatewayError('UNAVAILABLE', `caller ${principal.id} closed before ${id} was answered`));
      }
      port.shut();
    },
  };
}

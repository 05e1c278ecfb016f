// Calls from the gateway to one connected client. On the wire a call is a targeted event carrying a
// fresh id (upstream's shape: `node.invoke.request` to a node), and the client answers by calling a
// method with that id (`node.invoke.result`), whose handler hands the outcome to `answer`. Each
// call has one timeout; every call to a client fails at once when its connection closes.
import { randomUUID } from 'node:crypto';
import { PendingTable } from '../../clients/runtime/pending-table.js';
import type { EventName, EventPayload } from '../../generated/server/method-types.js';
import type { ConnectionHandle } from './connection-handle.js';
import type { EventHub } from './event-hub.js';
import { gatewayErrors } from './error-constructors.js';
import type { GatewayError } from './gateway-error.js';

export interface ClientCallOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Used as the call id (e.g. the caller's idempotency key); a fresh UUID by default. */
  readonly id?: string;
}

interface CallMeta {
  readonly target: ConnectionHandle;
  readonly event: string;
  readonly timeoutMs: number;
}

export class ClientCalls {
  private readonly pending = new PendingTable<unknown, CallMeta>();
  /** Per target: how many calls are pending and the close listener that fails them. */
  private readonly watched = new Map<ConnectionHandle, { count: number; off: () => void }>();

  constructor(private readonly hub: EventHub) {}

  /** Calls in flight (all targets). */
  get size(): number {
    let count = 0;
    for (const watched of this.watched.values()) count += watched.count;
    return count;
  }

  /**
   * Sends `event` (built with the call id) to `target` only, and resolves with what the client
   * answers. Rejects with GatewayError: UNAVAILABLE when the client is gone or goes away,
   * AGENT_TIMEOUT after `timeoutMs`, CANCELLED when `signal` aborts, or the client's own error.
   */
  call<E extends EventName>(target: ConnectionHandle, event: E, build: (id: string) => EventPayload<E>, options: ClientCallOptions): Promise<unknown> {
    if (!target.isOpen()) return Promise.reject(gatewayErrors.CLIENT_DISCONNECTED());
    const id = options.id ?? randomUUID();
    // A caller-chosen id still pending is a programming error (the table itself does not check).
    if (this.pending.meta(id)) return Promise.reject(new Error(`request id ${id} is already pending`));
    const meta: CallMeta = { target, event, timeoutMs: options.timeoutMs };
    const answered = this.pending.add(
      id,
      meta,
      options.timeoutMs,
      (m) => gatewayErrors.CLIENT_TIMEOUT({}, `the client did not answer ${m.event} within ${m.timeoutMs} ms`),
      options.signal,
      (m) => gatewayErrors.REQUEST_CANCELLED({}, `${m.event} was cancelled`),
    );
    this.watch(target);
    const release = (): void => this.unwatch(target);
    answered.then(release, release);
    const delivered = this.hub.publish(event, build(id), { to: [target] });
    if (delivered === 0) {
      this.pending.fail(id, gatewayErrors.CLIENT_DISCONNECTED({}, 'the client could not be reached (closed or not reading)'));
    }
    return answered;
  }

  /**
   * The client's answer to call `id`. Only the connection the call went to may answer it; returns
   * false for an unknown, settled or foreign id (the caller then tells the client so).
   */
  answer(from: ConnectionHandle, id: string, outcome: { ok: true; payload: unknown } | { ok: false; error: GatewayError }): boolean {
    if (this.pending.meta(id)?.target !== from) return false;
    return outcome.ok ? this.pending.settle(id, outcome.payload) : this.pending.fail(id, outcome.error);
  }

  /** Whether call `id` is still waiting for `from`. */
  isPending(from: ConnectionHandle, id: string): boolean {
    return this.pending.meta(id)?.target === from;
  }

  /** Fails every pending call (gateway shutdown). */
  failAll(reason: string): void {
    this.pending.failWhere(() => gatewayErrors.CLIENT_DISCONNECTED({}, reason));
  }

  private watch(target: ConnectionHandle): void {
    const watched = this.watched.get(target);
    if (watched) {
      watched.count++;
      return;
    }
    const off = target.onClose(() => {
      this.pending.failWhere(
        (m) => gatewayErrors.CLIENT_DISCONNECTED({}, `the client disconnected before answering ${m.event}`),
        (m) => m.target === target,
      );
    });
    this.watched.set(target, { count: 1, off });
  }

  private unwatch(target: ConnectionHandle): void {
    const watched = this.watched.get(target);
    if (!watched || --watched.count > 0) return;
    this.watched.delete(target);
    watched.off();
  }
}

// The session core's public types (states, lifecycle events, options) and its wire shapes.
import type { HelloOk } from '../../contract/schemas/connect.js';
import type { GatewayError } from './gateway-error.js';

export type { HelloOk };
export type ConnectionState = 'idle' | 'connecting' | 'authenticating' | 'ready' | 'reconnecting' | 'paused' | 'closed';

/** Connection lifecycle events, delivered through the same `on()` as gateway events. */
export interface ConnectionEvents {
  connecting: { readonly attempt: number };
  authenticating: { readonly attempt: number };
  /** `reconnected`: an earlier socket was ready; events sent while disconnected are not replayed. */
  ready: { readonly hello: HelloOk; readonly reconnected: boolean };
  reconnecting: { readonly attempt: number; readonly delayMs: number };
  /** Reconnecting stopped until `reconnectNow()`: the gateway refused our credentials or protocol. */
  paused: { readonly reason: string; readonly error: GatewayError | undefined };
  closed: { readonly code: number; readonly reason: string; readonly final: boolean };
  /** An event seq was skipped on this socket: events were lost (e.g. dropped for a slow consumer). */
  gap: { readonly expected: number; readonly received: number; readonly event: string };
  /** A listener threw, or a frame could not be read. */
  error: { readonly error: unknown; readonly source: string };
}

export interface SessionOptions {
  /** Per-call timeout (default 30 000 ms). */
  readonly timeoutMs?: number;
  /** Calls made while disconnected wait for the connection (default) or fail at once. */
  readonly whileDisconnected?: 'wait' | 'fail';
  /** Calls waiting for a connection at most (default 256); more fail with QUEUE_FULL. */
  readonly maxQueued?: number;
  /** No hello-ok within this → the socket is dropped and retried (default 15 000 ms). */
  readonly handshakeTimeoutMs?: number;
  /** Reconnect backoff: first delay and cap (defaults 500 ms and 30 000 ms), with jitter. */
  readonly reconnectMinMs?: number;
  readonly reconnectMaxMs?: number;
  /** Retries after a dropped connection for methods with an idempotencyKey (default 2). */
  readonly retries?: number;
}

export interface SessionTraits {
  /** 0: send `connect` when the socket opens; otherwise wait this long for `connect.challenge`. */
  readonly challengeTimeoutMs: number;
  /** Methods whose params carry an idempotencyKey (filled in here when missing). */
  readonly keyed: readonly string[];
  /** Methods that answer twice with the same id. */
  readonly interim: readonly string[];
}

export interface ResFrame {
  type: 'res';
  id: string;
  ok: boolean;
  payload?: unknown;
  error?: { code: string; message: string; details?: unknown; retryable?: boolean; retryAfterMs?: number };
}

export interface EventFrame {
  type: 'event';
  event: string;
  payload?: unknown;
  seq?: number;
}

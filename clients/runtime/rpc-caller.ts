// The one seam between generated SDK surfaces and the hand-written client runtimes.

export interface CallOptions {
  /** Fails the call locally after this long (default 30 s), retries included. */
  readonly timeoutMs?: number;
  /** Aborting sends a `cancel` frame (v4) and rejects the call. */
  readonly signal?: AbortSignal;
  /** For methods that answer twice (e.g. `agent`): receives the first, interim payload. */
  readonly onInterim?: (payload: unknown) => void;
  /**
   * Re-sends after the connection closed under the call. Only methods with an idempotencyKey
   * retry (default 2 for them); the key stays the same, so the gateway runs the work once.
   */
  readonly retries?: number;
  /** While disconnected: wait for the connection (bounded by the timeout) or fail at once. */
  readonly whileDisconnected?: 'wait' | 'fail';
}

export interface MethodShape {
  readonly params: unknown;
  readonly result: unknown;
}

/** Any interface of method name → {params, result}. */
export type MethodMap<M = Record<string, MethodShape>> = { readonly [K in keyof M]: MethodShape };

export interface RpcCaller<M extends MethodMap<M>> {
  request<K extends keyof M & string>(method: K, params: M[K]['params'], options?: CallOptions): Promise<M[K]['result']>;
}

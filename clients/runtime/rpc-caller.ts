// The one seam between generated SDK surfaces and the hand-written client runtimes.

export interface CallOptions {
  /** Fails the call locally after this long (default 30 s). */
  readonly timeoutMs?: number;
  /** Aborting sends a `cancel` frame (v4) and rejects the call. */
  readonly signal?: AbortSignal;
  /** For methods that answer twice (e.g. `agent`): receives the first, interim payload. */
  readonly onInterim?: (payload: unknown) => void;
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

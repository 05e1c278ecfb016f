// `chat.stream(params)`: chat.send plus the `chat` events of its run as an async iterator of
// deltas that ends with the final event. A reconnect mid-run re-sends chat.send with the same
// idempotencyKey (the gateway joins the run instead of starting another), so the end is not lost.
import type { BrowserEvents, BrowserMethods } from '../../generated/clients/method-map.js';
import { GatewayError } from './gateway-error.js';
import type { CallOptions, RpcCaller } from './rpc-caller.js';
import { randomId } from './random-id.js';

export type ChatEvent = BrowserEvents['chat'];
/**
 * What the iterator yields: deltas (cumulative `message`, v4 `deltaText`) and, from upstream
 * gateways, `status` progress events, then the final event.
 */
export type ChatStreamItem = Extract<ChatEvent, { state: 'delta' | 'final' | 'status' }>;
export type ChatStreamParams = BrowserMethods['chat.send']['params'];

export interface ChatStreamOptions extends CallOptions {
  /** Fails the stream when no event of the run arrives for this long (default 10 min). */
  readonly idleTimeoutMs?: number;
}

type StreamMethods = Pick<BrowserMethods, 'chat.send' | 'chat.history' | 'chat.abort'>;

export interface ChatStreamHost extends RpcCaller<StreamMethods> {
  onChat(listener: (event: ChatEvent) => void): () => void;
  onReconnected(listener: () => void): () => void;
}

export interface ChatStream extends AsyncIterableIterator<ChatStreamItem> {
  /** The run id (= the idempotencyKey chat.send was sent with). */
  readonly runId: string;
}

export function streamChat(host: ChatStreamHost, params: ChatStreamParams, options: ChatStreamOptions = {}): ChatStream {
  const runId = params.idempotencyKey ?? randomId();
  const send = { ...params };
  send.idempotencyKey = runId;
  const buffer: ChatStreamItem[] = [];
  let waiter: { resolve(r: IteratorResult<ChatStreamItem>): void; reject(e: unknown): void } | undefined;
  let failure: unknown;
  let ended = false;
  let acked = false;
  let idle: ReturnType<typeof setTimeout> | undefined;

  const finish = (error?: unknown): void => {
    if (ended) return;
    ended = true;
    failure = error;
    offChat();
    offReady();
    clearTimeout(idle);
    options.signal?.removeEventListener('abort', onAbort);
    if (waiter && (error !== undefined || buffer.length === 0)) {
      const w = waiter;
      waiter = undefined;
      if (error !== undefined) w.reject(error);
      else w.resolve({ value: undefined, done: true });
    }
  };
  const fail = (code: string, message: string, details?: unknown): void =>
    finish(new GatewayError({ kind: 'gateway', code, message, method: 'chat.send', sent: true, details }));
  const armIdle = (): void => {
    clearTimeout(idle);
    const ms = options.idleTimeoutMs ?? 600_000;
    idle = setTimeout(() => finish(new GatewayError({ kind: 'timeout', code: 'TIMEOUT', message: `chat run ${runId}: no event within ${ms} ms`, method: 'chat.send', sent: true })), ms);
  };
  const push = (item: ChatStreamItem): void => {
    if (ended) return;
    armIdle();
    if (waiter) {
      const w = waiter;
      waiter = undefined;
      w.resolve({ value: item, done: false });
    } else {
      buffer.push(item);
    }
    if (item.state === 'final') finish();
  };
  const onEvent = (event: ChatEvent): void => {
    if (event.runId !== runId || ended) return;
    if (event.state === 'error') fail('RUN_FAILED', event.errorMessage, { runId, errorKind: event.errorKind });
    else if (event.state === 'aborted') fail('RUN_ABORTED', `chat run ${runId} was aborted`, { runId });
    else if (event.state === 'delta' || event.state === 'final' || event.state === 'status') push(event);
    else armIdle(); // a state newer than this SDK: the run is alive, nothing to yield
  };
  /** The run ended before we listened (cached outcome): read the final message from the transcript. */
  const finalFromHistory = async (): Promise<void> => {
    const history = await host.request('chat.history', { sessionKey: params.sessionKey, limit: 20 }, options);
    const message = [...history.messages].reverse().find((m) => m.role === 'assistant');
    push({ runId, sessionKey: params.sessionKey, seq: 0, state: 'final', ...(message ? { message } : {}) });
  };
  const onAck = (ack: BrowserMethods['chat.send']['result']): void => {
    acked = true;
    const a = ack as { status?: string; summary?: string };
    if (ended) return;
    if (a.status === 'error') fail('RUN_FAILED', a.summary ?? 'the run failed', { runId });
    else if (a.status === 'ok') void finalFromHistory().catch((e: unknown) => finish(e));
    else if (a.status === undefined) finish(); // a stop command: answered like chat.abort, no run
  };
  const sendOnce = (): void => {
    host.request('chat.send', send, options).then(onAck, (e: unknown) => finish(e));
  };
  const onAbort = (): void => {
    void host.request('chat.abort', { sessionKey: params.sessionKey, runId }).catch(() => {});
    finish(new GatewayError({ kind: 'aborted', code: 'ABORTED', message: `chat run ${runId} was aborted`, method: 'chat.send', sent: acked }));
  };

  const offChat = host.onChat(onEvent);
  // Events of the run may have been lost while disconnected: ask again with the same key.
  const offReady = host.onReconnected(() => {
    if (acked && !ended) sendOnce();
  });
  if (options.signal?.aborted) onAbort();
  else {
    options.signal?.addEventListener('abort', onAbort, { once: true });
    armIdle();
    sendOnce();
  }

  const stream: ChatStream = {
    runId,
    next() {
      const item = buffer.shift();
      if (item) return Promise.resolve({ value: item, done: false });
      if (failure !== undefined) return Promise.reject(failure);
      if (ended) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => (waiter = { resolve, reject }));
    },
    return() {
      finish();
      buffer.length = 0;
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream;
}

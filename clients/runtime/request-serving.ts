// Serving gateway → client calls: the gateway sends a request as an event carrying an id (e.g.
// `node.invoke.request`); the client runs a handler and answers by calling a method with that id
// (`node.invoke.result`). Each request runs once (a repeated id is ignored while it runs), is
// aborted when its time is up or the socket closes (the gateway has failed it by then), and always
// gets exactly one answer attempt.
import type { CallOptions } from './rpc-caller.js';

export interface ServeHost {
  on(event: string, listener: (payload: never) => void): () => void;
  requestUntyped(method: string, params: unknown, options?: CallOptions): Promise<unknown>;
}

export type ServeOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: { readonly code: string; readonly message: string }; readonly payload?: unknown };

export interface ServeSpec<Req> {
  /** The method that carries the answer. */
  readonly answer: string;
  readonly idOf: (request: Req) => string | undefined;
  /** The request's own deadline, when it carries one. */
  readonly timeoutMsOf?: (request: Req) => number | undefined;
  readonly handle: (request: Req, signal: AbortSignal) => unknown;
  /** The answer method's params for an outcome. */
  readonly reply: (request: Req, outcome: ServeOutcome) => Record<string, unknown>;
  /** Called when an answer could not be delivered (the socket went away meanwhile). */
  readonly onAnswerFailed?: (request: Req, error: unknown) => void;
}

/** A handler's typed failure: its code and message reach the caller; `payload` goes along. */
export class ServeError extends Error {
  readonly code: string;
  readonly payload: unknown;

  constructor(code: string, message: string, payload?: unknown) {
    super(message);
    this.name = 'ServeError';
    this.code = code;
    this.payload = payload;
  }
}

function outcomeOf(error: unknown): ServeOutcome {
  if (error instanceof ServeError) {
    return error.payload === undefined ? { ok: false, error: { code: error.code, message: error.message } } : { ok: false, error: { code: error.code, message: error.message }, payload: error.payload };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, error: { code: 'UNAVAILABLE', message: message || 'the handler failed' } };
}

/** Serves `event` requests until the returned function is called. */
export function serveRequests<Req>(host: ServeHost, event: string, spec: ServeSpec<Req>): () => void {
  const running = new Map<string, AbortController>();
  const offClosed = host.on('closed', () => {
    for (const controller of running.values()) controller.abort(new ServeError('CONNECTION_CLOSED', 'the connection closed'));
    running.clear();
  });
  const offEvent = host.on(event, ((request: Req) => {
    const id = spec.idOf(request);
    if (!id || running.has(id)) return;
    const controller = new AbortController();
    running.set(id, controller);
    const timeoutMs = spec.timeoutMsOf?.(request);
    const timer = timeoutMs && timeoutMs > 0 ? setTimeout(() => controller.abort(new ServeError('TIMEOUT', `no result within ${timeoutMs} ms`)), timeoutMs) : undefined;
    void (async () => {
      let outcome: ServeOutcome;
      try {
        outcome = { ok: true, value: await spec.handle(request, controller.signal) };
      } catch (error) {
        outcome = outcomeOf(error);
      }
      clearTimeout(timer);
      const stillOurs = running.get(id) === controller;
      running.delete(id);
      if (!stillOurs) return;
      try {
        await host.requestUntyped(spec.answer, spec.reply(request, outcome), { whileDisconnected: 'fail' });
      } catch (error) {
        spec.onAnswerFailed?.(request, error);
      }
    })();
  }) as (payload: never) => void);
  return () => {
    offEvent();
    offClosed();
    for (const controller of running.values()) controller.abort(new ServeError('STOPPED', 'no longer served'));
    running.clear();
  };
}

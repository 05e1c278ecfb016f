// One in-flight request and the context its handler sees. The AbortSignal is created only when a
// handler reads it: most never do, and an AbortController was the largest per-request cost.
import type { OperatorScope } from '../../contract/define.js';
import type { Role } from '../../contract/schemas/connect.js';
import type { ConnectionHandle } from './connection-handle.js';
import type { InterimContext, MethodContext } from './method-context.js';

/** Where an interim (first of two) response goes. */
export interface InterimSink {
  interim(requestId: string, payload: unknown): void;
}

export class PendingCall implements MethodContext, InterimContext<unknown> {
  private controller: AbortController | undefined;
  private abortReason: unknown;
  private aborted = false;
  private interimSent = false;
  /** Answered, cancelled or dropped: nothing more may be sent for this id. */
  settled = false;

  constructor(
    readonly method: string,
    readonly requestId: string,
    readonly role: Role,
    readonly scopes: ReadonlySet<OperatorScope>,
    readonly connection: ConnectionHandle,
    private readonly sink: InterimSink,
    readonly traceparent: string | undefined,
  ) {}

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** Aborts the handler's signal (now, or the moment the handler first reads it). */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  sendInterim(payload: unknown): void {
    if (this.interimSent || this.settled) return;
    this.interimSent = true;
    this.sink.interim(this.requestId, payload);
  }
}

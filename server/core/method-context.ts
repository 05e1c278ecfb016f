import type { OperatorScope } from '../../contract/define.js';
import type { Role } from '../../contract/schemas/connect.js';
import type { ConnectionHandle } from './connection-handle.js';

/** What a handler knows about the call it serves. Services come from the handler's own closure. */
export interface MethodContext {
  /** Canonical method name (aliases resolved). */
  readonly method: string;
  readonly requestId: string;
  /** Aborted when the client sends `cancel`, the socket closes, or the gateway stops. */
  readonly signal: AbortSignal;
  readonly role: Role;
  readonly scopes: ReadonlySet<OperatorScope>;
  readonly connection: ConnectionHandle;
  /** The W3C `traceparent` the request frame carried, for logs and outgoing calls. */
  readonly traceparent: string | undefined;
}

export interface InterimContext<T> {
  /** Sends the first of two `res` frames for this request (e.g. `accepted`). */
  sendInterim(payload: T): void;
}

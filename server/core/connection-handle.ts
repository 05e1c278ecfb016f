import type { OperatorScope } from '../../contract/define.js';
import type { ConnectParams, Role } from '../../contract/schemas/connect.js';

/** The view of one authenticated connection that handlers and services may hold on to. */
export interface ConnectionHandle {
  readonly connId: string;
  readonly protocol: number;
  readonly role: Role;
  readonly scopes: ReadonlySet<OperatorScope>;
  readonly caps: ReadonlySet<string>;
  readonly client: ConnectParams['client'];
  readonly remoteAddress: string;
  isOpen(): boolean;
  /** Runs once when the connection closes (immediately if it already has). Returns an unsubscribe. */
  onClose(listener: () => void): () => void;
}

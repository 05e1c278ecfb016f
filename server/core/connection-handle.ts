import type { OperatorScope } from '../../contract/define.js';
import type { ConnectParams, Role } from '../../contract/schemas/connect.js';

/** What the event hub needs of a recipient: a socket connection or an in-process caller. */
export interface EventRecipient {
  readonly protocol: number;
  readonly role: Role;
  readonly scopes: ReadonlySet<OperatorScope>;
  /** Past the handshake and not closed: events may be delivered. */
  isReady(): boolean;
  /**
   * One event with the recipient's next seq. `payloadJson` is serialised once for every recipient.
   * A droppable event may be skipped for a slow consumer. Returns whether it was delivered.
   */
  deliverEvent(event: string, payloadJson: string | undefined, droppable: boolean, stateVersionJson?: string): boolean;
}

/** What a node connection declared in connect, and which of its commands are approved. */
export interface NodeClaims {
  readonly commands: readonly string[];
  /** Undefined for a node without a device identity (it cannot be invoked). */
  readonly approvedCommands: readonly string[] | undefined;
  readonly permissions: Readonly<Record<string, boolean>> | undefined;
  readonly pathEnv: string | undefined;
}

/** The view of one authenticated caller that handlers and services may hold on to. */
export interface ConnectionHandle extends EventRecipient {
  readonly connId: string;
  readonly caps: ReadonlySet<string>;
  readonly client: ConnectParams['client'];
  readonly remoteAddress: string;
  /** The device this connection proved it holds (Ed25519 device identity), if any. */
  readonly deviceId: string | undefined;
  /** When the socket opened (epoch ms; socket connections only). */
  readonly connectedAt?: number;
  /** Role node: its declared surface. */
  readonly nodeClaims?: NodeClaims | undefined;
  isOpen(): boolean;
  /** Closes it from the gateway side (socket connections; in-process callers have none). */
  close?(code: number, reason: string): void;
  /** Runs once when the connection closes (immediately if it already has). Returns an unsubscribe. */
  onClose(listener: () => void): () => void;
}

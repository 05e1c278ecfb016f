// Connected nodes, by node id: followed through the event hub's membership (a node connection is
// ready → registered; closed → gone). The node id is the device id; a node without a device
// identity is listed under its instance id (or connection id) and cannot be invoked.
import type { ConnectionHandle } from '../core/connection-handle.js';
import type { EventHub } from '../core/event-hub.js';

export interface NodeSession {
  readonly nodeId: string;
  readonly connection: ConnectionHandle;
  readonly connectedAtMs: number;
  /** Proved a device identity (and so was paired to connect as a node). */
  readonly deviceBacked: boolean;
  /** What the node declared in connect. */
  readonly declaredCommands: readonly string[];
  /** The declared commands that are approved (none for a node without a device identity). */
  readonly commands: readonly string[];
}

export function nodeIdOf(connection: ConnectionHandle): string {
  return connection.deviceId ?? connection.client.instanceId ?? connection.connId;
}

export class NodeRegistry {
  private readonly byId = new Map<string, NodeSession>();
  private readonly listeners = new Set<(session: NodeSession, joined: boolean) => void>();

  constructor(hub: EventHub) {
    hub.onMembership((connection, joined) => {
      if (connection.role !== 'node') return;
      if (joined) this.add(connection);
      else this.remove(connection);
    });
  }

  private add(connection: ConnectionHandle): void {
    const claims = connection.nodeClaims;
    const session: NodeSession = {
      nodeId: nodeIdOf(connection),
      connection,
      connectedAtMs: connection.connectedAt ?? Date.now(),
      deviceBacked: connection.deviceId !== undefined,
      declaredCommands: claims?.commands ?? [],
      commands: claims?.approvedCommands ?? [],
    };
    // The newest connection of a node wins; the older one is still closed by its own socket.
    this.byId.set(session.nodeId, session);
    for (const l of this.listeners) l(session, true);
  }

  private remove(connection: ConnectionHandle): void {
    const nodeId = nodeIdOf(connection);
    const session = this.byId.get(nodeId);
    if (session?.connection !== connection) return;
    this.byId.delete(nodeId);
    for (const l of this.listeners) l(session, false);
  }

  get(nodeId: string): NodeSession | undefined {
    return this.byId.get(nodeId);
  }

  list(): NodeSession[] {
    return [...this.byId.values()];
  }

  get size(): number {
    return this.byId.size;
  }

  onChange(listener: (session: NodeSession, joined: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

// Fans events out to ready connections: scope filter per event, payload serialised once per
// variant, per-connection seq assigned by the connection itself.
import { EVENT_TABLE } from '../../generated/server/method-table.js';
import type { EventName, EventPayload } from '../../generated/server/method-types.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import type { ConnectionHandle, EventRecipient } from './connection-handle.js';
import { canReceiveEvent } from './scopes.js';
import { summarizeIssues } from './zod-issues.js';

export interface PublishOptions<E extends EventName> {
  /** Only these connections (still subject to the event's scope unless it is `targeted`). */
  readonly to?: Iterable<EventRecipient>;
  /** Overrides the contract's droppable flag for this send (e.g. chat deltas). */
  readonly droppable?: boolean;
  /** A different payload for some protocol versions (e.g. v3 clients without v4-only fields). */
  readonly variant?: (protocol: number) => EventPayload<E>;
  readonly stateVersion?: { presence: number; health: number };
}

export class EventHub {
  private readonly connections = new Set<ConnectionHandle>();
  private readonly membership = new Set<(connection: ConnectionHandle, joined: boolean) => void>();

  constructor(
    private readonly logger: GatewayLogger,
    private readonly validate: boolean,
    /** Masks configured secret values in each serialised payload (once per publish, not per recipient). */
    private readonly redact: (json: string) => string = (json) => json,
  ) {}

  add(connection: ConnectionHandle): void {
    if (this.connections.has(connection)) return;
    this.connections.add(connection);
    for (const listener of this.membership) listener(connection, true);
  }

  /** Returns whether it was a recipient. */
  remove(connection: ConnectionHandle): boolean {
    if (!this.connections.delete(connection)) return false;
    for (const listener of this.membership) listener(connection, false);
    return true;
  }

  /** Recipients joining (ready) and leaving (closed); the node registry follows node connections. */
  onMembership(listener: (connection: ConnectionHandle, joined: boolean) => void): () => void {
    this.membership.add(listener);
    return () => this.membership.delete(listener);
  }

  get size(): number {
    return this.connections.size;
  }

  all(): Iterable<ConnectionHandle> {
    return this.connections;
  }

  /** Returns how many connections the event was written to. */
  publish<E extends EventName>(event: E, payload: EventPayload<E>, options: PublishOptions<E> = {}): number {
    const entry = EVENT_TABLE[event];
    if (this.validate) this.check(event, payload);
    const droppable = options.droppable ?? entry.droppable;
    const stateVersionJson = options.stateVersion ? JSON.stringify(options.stateVersion) : undefined;
    const serialized = new Map<number, string>();
    const payloadFor = (protocol: number): string => {
      const key = options.variant ? protocol : 0;
      let json = serialized.get(key);
      if (json === undefined) {
        const value = options.variant ? options.variant(protocol) : payload;
        if (this.validate && options.variant) this.check(event, value);
        json = this.redact(JSON.stringify(value));
        serialized.set(key, json);
      }
      return json;
    };
    const targets = options.to ?? this.connections;
    let delivered = 0;
    for (const connection of targets) {
      if (!connection.isReady()) continue;
      if (entry.scope !== 'targeted' && !canReceiveEvent(connection.role, connection.scopes, entry.scope)) continue;
      if (connection.deliverEvent(event, payloadFor(connection.protocol), droppable, stateVersionJson)) delivered++;
    }
    return delivered;
  }

  private check(event: EventName, payload: unknown): void {
    const result = EVENT_TABLE[event].payload.safeParse(payload);
    if (!result.success) {
      this.logger.error('event payload does not match the contract', { event, issues: summarizeIssues(result.error) });
      throw new Error(`event ${event} payload violates the contract: ${JSON.stringify(summarizeIssues(result.error))}`);
    }
  }
}

// Who is connected, for hello-ok snapshots and `presence` events. Announcements are coalesced so
// a burst of connects costs one event per listener, not one per connect.
import type { PresenceEntry } from '../../contract/schemas/connect.js';
import type { Connection } from './connection.js';
import type { Mutable } from './mutable.js';

export class PresenceTracker {
  private readonly entries = new Map<string, PresenceEntry>();
  private version = 0;
  private pending: NodeJS.Timeout | undefined;

  constructor(
    private readonly announce: (presence: PresenceEntry[], version: number) => void,
    private readonly coalesceMs = 250,
  ) {}

  get stateVersion(): number {
    return this.version;
  }

  list(): PresenceEntry[] {
    return [...this.entries.values()];
  }

  add(connection: Connection): void {
    if (connection.client.mode === 'probe' || connection.client.mode === 'cli') return;
    const entry: Mutable<PresenceEntry> = {
      ts: Date.now(),
      ip: connection.remoteAddress,
      version: connection.client.version,
      platform: connection.client.platform,
      mode: connection.client.mode,
      roles: [connection.role],
      scopes: [...connection.scopes],
      reason: 'connect',
    };
    if (connection.client.deviceFamily) entry.deviceFamily = connection.client.deviceFamily;
    if (connection.client.instanceId) entry.instanceId = connection.client.instanceId;
    if (connection.client.displayName) entry.text = connection.client.displayName;
    if (connection.deviceId) entry.deviceId = connection.deviceId;
    this.entries.set(connection.connId, entry);
    this.changed();
  }

  remove(connection: Connection): void {
    if (this.entries.delete(connection.connId)) this.changed();
  }

  private changed(): void {
    this.version++;
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.announce(this.list(), this.version);
    }, this.coalesceMs);
    this.pending.unref?.();
  }

  stop(): void {
    clearTimeout(this.pending);
    this.pending = undefined;
  }
}

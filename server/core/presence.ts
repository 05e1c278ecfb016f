// Presence for hello-ok snapshots and events, at a cost that does not grow with the square of the
// connections. Changes are coalesced; each listener is brought up to date from the version it last
// saw: clients that declare the `presence-delta` cap get `presence.delta` (what changed), upstream
// clients get upstream's `presence` (the whole, bounded list). A flush writes at most
// PRESENCE_BYTES_PER_FLUSH; listeners it could not reach (and ones whose socket is backed up) are
// served by the next flush (a short catch-up interval later), oldest first: a burst of connects
// costs a bounded stream of bytes (~8 MiB/s) in slices that never hold the event loop for long.
import type { PresenceEntry } from '../../contract/schemas/connect.js';
import type { EventPayload } from '../../generated/server/method-types.js';
import type { Connection } from './connection.js';
import type { Mutable } from './mutable.js';
import { PresenceList } from './presence-list.js';
import { canReceiveEvent } from './scopes.js';

/** The connect cap of clients that apply `presence.delta` events to their hello-ok snapshot. */
export const PRESENCE_DELTA_CAP = 'presence-delta';
/** Event bytes one flush may write across all listeners. */
export const PRESENCE_BYTES_PER_FLUSH = 256 * 1024;
/** While listeners are behind, flushes follow each other this fast (256 KiB / 32 ms ≈ 8 MiB/s). */
const CATCH_UP_MS = 32;

export interface PresenceSink {
  /** Sends one presence event to these connections. */
  full(to: readonly Connection[], payload: EventPayload<'presence'>, version: number): void;
  delta(to: readonly Connection[], payload: EventPayload<'presence.delta'>, version: number): void;
  /** Bytes a connection may buffer before it counts as backed up (policy.maxBufferedBytes). */
  maxBufferedBytes(): number;
}

/** `{"presence":…}` or `{"upsert":…,"remove":[],"reset":true}` around the list. */
const WHOLE_LIST_ENVELOPE = 48;

interface DeltaGroup {
  readonly payload: EventPayload<'presence.delta'>;
  readonly bytes: number;
  readonly to: Connection[];
}

interface Listener {
  readonly connection: Connection;
  readonly delta: boolean;
  /** The presence version this listener has been told about. */
  seen: number;
}

export class PresenceTracker {
  private readonly list = new PresenceList();
  private readonly keys = new WeakMap<Connection, string>();
  private readonly listeners: Listener[] = [];
  private readonly slots = new Map<Connection, number>();
  /** Where the next flush starts, so every listener gets its turn. */
  private cursor = 0;
  private nextKey = 0;
  private pending: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly sink: PresenceSink,
    private readonly coalesceMs = 250,
    private readonly bytesPerFlush = PRESENCE_BYTES_PER_FLUSH,
  ) {}

  get stateVersion(): number {
    return this.list.version;
  }

  /** The whole list, as hello-ok's snapshot shows it. */
  snapshot(): PresenceEntry[] {
    return this.list.list();
  }

  /** A connection passed the handshake: it shows up in presence (CLI and probe clients do not). */
  add(connection: Connection): void {
    if (connection.client.mode === 'probe' || connection.client.mode === 'cli') return;
    const key = `p${++this.nextKey}`;
    const entry: Mutable<PresenceEntry> = {
      key,
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
    this.keys.set(connection, key);
    this.list.set(key, entry);
    this.schedule();
  }

  /** hello-ok (with the snapshot at the current version) is on the wire: it listens from here. */
  listen(connection: Connection): void {
    if (!canReceiveEvent(connection.role, connection.scopes, 'operator.read')) return;
    this.slots.set(connection, this.listeners.length);
    this.listeners.push({ connection, delta: connection.caps.has(PRESENCE_DELTA_CAP), seen: this.list.version });
  }

  remove(connection: Connection): void {
    const slot = this.slots.get(connection);
    if (slot !== undefined) {
      // Swap-remove keeps the listener array dense.
      const last = this.listeners.pop()!;
      if (slot < this.listeners.length) {
        this.listeners[slot] = last;
        this.slots.set(last.connection, slot);
      }
      this.slots.delete(connection);
    }
    const key = this.keys.get(connection);
    if (key !== undefined && this.list.delete(key)) this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.pending);
    this.pending = undefined;
  }

  private schedule(delayMs = this.coalesceMs): void {
    if (this.pending || this.stopped) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.flush();
    }, delayMs);
    this.pending.unref?.();
  }

  /** Brings as many listeners up to date as the byte budget allows, the longest-waiting first. */
  private flush(): void {
    const version = this.list.version;
    const count = this.listeners.length;
    const backedUp = this.sink.maxBufferedBytes() / 2;
    const whole: Connection[] = [];
    let wholeBytes: number | undefined;
    const deltas = new Map<number, DeltaGroup>();
    let budget = this.bytesPerFlush;
    let behind = false;
    let visited = 0;
    for (; visited < count; visited++) {
      const listener = this.listeners[(this.cursor + visited) % count]!;
      if (listener.seen >= version) continue;
      if (listener.connection.bufferedAmount > backedUp) {
        behind = true;
        continue;
      }
      const changes = listener.delta ? this.list.changesSince(listener.seen) : undefined;
      let group: DeltaGroup | undefined;
      if (changes) {
        group = deltas.get(listener.seen);
        if (!group) {
          const payload: EventPayload<'presence.delta'> = { upsert: changes.upsert, remove: changes.remove };
          group = { payload, bytes: JSON.stringify(payload).length, to: [] };
          deltas.set(listener.seen, group);
        }
      }
      const bytes = group ? group.bytes : (wholeBytes ??= JSON.stringify(this.list.list()).length + WHOLE_LIST_ENVELOPE);
      // The first send of a flush always goes out, so one list larger than the budget still moves.
      if (bytes > budget && budget < this.bytesPerFlush) {
        behind = true;
        break;
      }
      budget -= bytes;
      listener.seen = version;
      if (group) group.to.push(listener.connection);
      else whole.push(listener.connection);
    }
    this.cursor = count === 0 ? 0 : (this.cursor + visited) % count;
    for (const group of deltas.values()) if (group.to.length) this.sink.delta(group.to, group.payload, version);
    if (whole.length) this.sendWhole(whole, version);
    if (behind) this.schedule(Math.min(this.coalesceMs, CATCH_UP_MS));
  }

  /** The whole list: upstream's `presence` for upstream clients, a reset delta for delta clients. */
  private sendWhole(to: Connection[], version: number): void {
    const list = this.list.list();
    const legacy = to.filter((c) => !c.caps.has(PRESENCE_DELTA_CAP));
    const reset = to.filter((c) => c.caps.has(PRESENCE_DELTA_CAP));
    if (legacy.length) this.sink.full(legacy, { presence: list }, version);
    if (reset.length) this.sink.delta(reset, { upsert: list, remove: [], reset: true }, version);
  }
}

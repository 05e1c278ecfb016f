// Who is connected (reference §2.4 PresenceEntry), as a versioned list: every change bumps the
// version and stamps the entry (or a tombstone for a removal), so the changes since any recent
// version can be told apart. Bounded like upstream's list: at most MAX_PRESENCE_ENTRIES, the
// oldest falling off first.
import type { PresenceEntry } from '../../contract/schemas/connect.js';

/** Upstream keeps 200 presence entries; so do we (the hello-ok snapshot stays small). */
export const MAX_PRESENCE_ENTRIES = 200;
/** Removals remembered for deltas; a client further behind gets the whole list again. */
const MAX_TOMBSTONES = 2_000;

export interface PresenceChanges {
  readonly upsert: PresenceEntry[];
  readonly remove: string[];
}

interface Stamped {
  readonly entry: PresenceEntry;
  readonly version: number;
}

export class PresenceList {
  private readonly entries = new Map<string, Stamped>();
  private readonly tombstones = new Map<string, number>();
  private current = 0;
  /** Deltas from versions below this are incomplete (tombstones were dropped). */
  private floor = 0;
  private listCache: { version: number; list: PresenceEntry[] } | undefined;

  get version(): number {
    return this.current;
  }

  get size(): number {
    return this.entries.size;
  }

  list(): PresenceEntry[] {
    if (this.listCache?.version !== this.current) this.listCache = { version: this.current, list: [...this.entries.values()].map((s) => s.entry) };
    return this.listCache.list;
  }

  set(key: string, entry: PresenceEntry): void {
    this.current++;
    this.tombstones.delete(key);
    this.entries.delete(key); // re-insert: the map's order is the age order
    this.entries.set(key, { entry, version: this.current });
    while (this.entries.size > MAX_PRESENCE_ENTRIES) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.bury(oldest);
    }
  }

  delete(key: string): boolean {
    if (!this.entries.delete(key)) return false;
    this.current++;
    this.bury(key);
    return true;
  }

  /** What changed after `since`; undefined when that is too far back to tell (send the whole list). */
  changesSince(since: number): PresenceChanges | undefined {
    if (since < this.floor) return undefined;
    const upsert: PresenceEntry[] = [];
    for (const stamped of this.entries.values()) if (stamped.version > since) upsert.push(stamped.entry);
    const remove: string[] = [];
    for (const [key, version] of this.tombstones) if (version > since) remove.push(key);
    return { upsert, remove };
  }

  private bury(key: string): void {
    this.tombstones.set(key, this.current);
    while (this.tombstones.size > MAX_TOMBSTONES) {
      const [oldest, version] = this.tombstones.entries().next().value as [string, number];
      this.tombstones.delete(oldest);
      this.floor = Math.max(this.floor, version);
    }
  }
}

// The session index without SQLite (better-sqlite3 not built, e.g. an install with --ignore-scripts):
// the same surface as SessionIndexDb over a Map, rebuilt from sessions.json at every start. Listing
// sorts every entry and a crash loses the changes not yet exported, as before the SQLite index.
import type { IndexFilter, IndexRow } from './session-index-db.js';
import type { StoredSessionEntry } from './session-store.js';

export class MemorySessionIndex {
  private readonly rows = new Map<string, { seq: number; entry: StoredSessionEntry }>();
  private readonly metadata = new Map<string, string>();
  private nextSeq = 1;
  changesSinceExport = 0;

  get size(): number {
    return this.rows.size;
  }

  meta(name: string): string | undefined {
    return this.metadata.get(name);
  }

  setMeta(name: string, value: string): void {
    this.metadata.set(name, value);
  }

  get(key: string): StoredSessionEntry | undefined {
    return this.rows.get(key)?.entry;
  }

  put(key: string, entry: StoredSessionEntry): void {
    const row = this.rows.get(key);
    if (row) row.entry = entry;
    else this.rows.set(key, { seq: this.nextSeq++, entry });
    this.changesSinceExport++;
  }

  remove(key: string): boolean {
    const removed = this.rows.delete(key);
    if (removed) this.changesSinceExport++;
    return removed;
  }

  replaceAll(entries: Iterable<[string, StoredSessionEntry]>): void {
    this.rows.clear();
    for (const [key, entry] of entries) this.rows.set(key, { seq: this.nextSeq++, entry });
  }

  keyOfSessionId(sessionId: string): string | undefined {
    for (const [key, row] of this.rows) if (row.entry.sessionId === sessionId) return key;
    return undefined;
  }

  keysMatching(globs: readonly string[]): { key: string; updatedAt: number }[] {
    const patterns = globs.map((g) => new RegExp(`^${g.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
    return [...this.rows].filter(([key]) => patterns.some((p) => p.test(key))).map(([key, row]) => ({ key, updatedAt: row.entry.updatedAt }));
  }

  count(filter: IndexFilter): number {
    return this.matching(filter).length;
  }

  page(filter: IndexFilter, offset: number, limit: number): IndexRow[] {
    return this.matching(filter)
      .sort((a, b) => b.entry.updatedAt - a.entry.updatedAt || a.seq - b.seq)
      .slice(offset, offset + limit);
  }

  rowsAfter(afterSeq: number, limit: number): { seq: number; key: string; entry: string }[] {
    const out: { seq: number; key: string; entry: string }[] = [];
    for (const [key, row] of this.rows) {
      if (row.seq > afterSeq) out.push({ seq: row.seq, key, entry: JSON.stringify(row.entry) });
      if (out.length >= limit) break;
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  close(): void {
    this.rows.clear();
  }

  private matching(filter: IndexFilter): IndexRow[] {
    const out: IndexRow[] = [];
    for (const [key, { seq, entry }] of this.rows) {
      if (filter.since && entry.updatedAt < filter.since) continue;
      if (filter.label !== undefined && entry.label !== filter.label) continue;
      if (filter.spawnedBy !== undefined && entry.spawnedBy !== filter.spawnedBy) continue;
      if (!filter.includeGlobal && key.endsWith(':global')) continue;
      const search = filter.search;
      if (search && ![key, entry.label, entry.derivedTitle, entry.displayName].some((v) => typeof v === 'string' && v.toLowerCase().includes(search))) continue;
      out.push({ key, seq, entry });
    }
    return out;
  }
}

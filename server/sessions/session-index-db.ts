// One agent's session index in SQLite (`sessions.index.sqlite` beside `sessions.json`): a change is
// one row upsert, a page of sessions.list one indexed range read, so neither grows with the number
// of sessions. `sessions.json` stays the upstream file: it is exported from here lazily
// (session-index-export.ts) and, when it changed behind our back or the index is missing, the index
// is rebuilt from it (session-index-rebuild.ts).
import { statSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import type { StoredSessionEntry } from './session-store.js';

export type SqliteDatabase = BetterSqlite3.Database;

/** Bumped when the table layout changes: an index of another version is rebuilt from sessions.json. */
export const INDEX_SCHEMA_VERSION = '1';
/** Parsed entries kept per agent (the rest are read back from SQLite on use). */
const CACHED_ENTRIES = 500;

export interface IndexFilter {
  /** Only entries updated at or after this (ms). */
  readonly since?: number;
  readonly label?: string;
  readonly spawnedBy?: string;
  readonly includeGlobal?: boolean;
  /** Lower-cased text to find in the key, label, derived title or display name. */
  readonly search?: string;
}

export interface IndexRow {
  readonly key: string;
  readonly entry: StoredSessionEntry;
  /** Insertion order: ties in updatedAt keep it, as the Map of old did. */
  readonly seq: number;
}

const isGlobalKey = (key: string): boolean => key.endsWith(':global');
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** `size:mtime:ino` of sessions.json, or `missing`: what the index was last in step with. */
export function fileSignature(path: string): string {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.size}:${s.mtimeNs}:${s.ino}`;
  } catch {
    return 'missing';
  }
}

export class SessionIndexDb {
  private readonly cache = new LRUCache<string, StoredSessionEntry>({ max: CACHED_ENTRIES });
  private readonly stmts: ReturnType<typeof prepare>;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  /** Rows, and rows whose key ends in `:global` (kept so the default count needs no scan). */
  private rows: number;
  private globals: number;
  /** Changes since the last export of sessions.json began; Infinity when unknown (a crash left it dirty). */
  changesSinceExport: number;

  constructor(readonly db: SqliteDatabase) {
    this.stmts = prepare(db);
    this.rows = (this.stmts.count.get() as { n: number }).n;
    this.globals = (this.stmts.countGlobal.get() as { n: number }).n;
    this.changesSinceExport = this.meta('dirty') === '1' ? Number.POSITIVE_INFINITY : 0;
  }

  get size(): number {
    return this.rows;
  }

  meta(name: string): string | undefined {
    return (this.stmts.metaGet.get(name) as { value: string } | undefined)?.value;
  }

  setMeta(name: string, value: string): void {
    this.stmts.metaSet.run(name, value);
  }

  get(key: string): StoredSessionEntry | undefined {
    const cached = this.cache.get(key);
    if (cached) return cached;
    const row = this.stmts.get.get(key) as { entry: string } | undefined;
    if (!row) return undefined;
    const entry = JSON.parse(row.entry) as StoredSessionEntry;
    this.cache.set(key, entry);
    return entry;
  }

  /** The cached entry of a row read by a listing, else the row parsed (and cached: the next page read finds it). */
  private cached(key: string, json: string): StoredSessionEntry {
    let entry = this.cache.get(key);
    if (!entry) {
      entry = JSON.parse(json) as StoredSessionEntry;
      this.cache.set(key, entry);
    }
    return entry;
  }

  /** Writes the entry (insert or replace in place); one row, whatever the number of sessions. */
  put(key: string, entry: StoredSessionEntry): void {
    const existed = this.cache.has(key) || this.stmts.has.get(key) !== undefined;
    this.stmts.upsert.run(rowOf(key, entry));
    this.cache.set(key, entry);
    if (!existed) {
      this.rows++;
      if (isGlobalKey(key)) this.globals++;
    }
    this.changed();
  }

  remove(key: string): boolean {
    this.cache.delete(key);
    const removed = this.stmts.remove.run(key).changes > 0;
    if (removed) {
      this.rows--;
      if (isGlobalKey(key)) this.globals--;
      this.changed();
    }
    return removed;
  }

  /** Replaces every row (a rebuild from sessions.json); in one transaction. */
  replaceAll(entries: Iterable<[string, StoredSessionEntry]>): void {
    this.cache.clear();
    this.db.transaction(() => {
      this.db.exec('DELETE FROM sessions');
      for (const [key, entry] of entries) this.stmts.upsert.run(rowOf(key, entry));
    })();
    this.rows = (this.stmts.count.get() as { n: number }).n;
    this.globals = (this.stmts.countGlobal.get() as { n: number }).n;
  }

  keyOfSessionId(sessionId: string): string | undefined {
    return (this.stmts.bySessionId.get(sessionId) as { key: string } | undefined)?.key;
  }

  /** Keys matching any of the GLOB patterns, with their last update. */
  keysMatching(globs: readonly string[]): { key: string; updatedAt: number }[] {
    if (globs.length === 0) return [];
    const where = globs.map(() => 'key GLOB ?').join(' OR ');
    return this.statement(`SELECT key, updated_at AS updatedAt FROM sessions WHERE ${where} ORDER BY rowid`).all(...globs) as { key: string; updatedAt: number }[];
  }

  count(filter: IndexFilter): number {
    if (isUnfiltered(filter)) return filter.includeGlobal ? this.rows : this.rows - this.globals;
    const { where, args } = sqlFilter(filter);
    return (this.statement(`SELECT count(*) AS n FROM sessions ${where}`).get(...args) as { n: number }).n;
  }

  /** Most recently updated first (ties in insertion order), `limit` rows from `offset`. */
  page(filter: IndexFilter, offset: number, limit: number): IndexRow[] {
    const { where, args } = sqlFilter(filter);
    const rows = this
      .statement(`SELECT rowid AS seq, key, entry FROM sessions ${where} ORDER BY updated_at DESC, rowid ASC LIMIT ? OFFSET ?`)
      .all(...args, limit, offset) as { seq: number; key: string; entry: string }[];
    return rows.map((r) => ({ key: r.key, seq: r.seq, entry: this.cached(r.key, r.entry) }));
  }

  /** Rows in rowid order after `afterSeq` (the export reads the table in pages). */
  rowsAfter(afterSeq: number, limit: number): { seq: number; key: string; entry: string }[] {
    return this.stmts.after.all(afterSeq, limit) as { seq: number; key: string; entry: string }[];
  }

  close(): void {
    this.db.close();
  }

  /** Filters combine into a few dozen statements at most; each is prepared once. */
  private statement(sql: string): BetterSqlite3.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  private changed(): void {
    if (this.changesSinceExport === 0) this.setMeta('dirty', '1');
    this.changesSinceExport++;
  }
}

export function createIndexSchema(db: SqliteDatabase): void {
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL: a commit survives a killed process at once; only a power cut can lose the last ones.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS sessions (
      key TEXT NOT NULL UNIQUE,
      session_id TEXT NOT NULL,
      updated_at REAL NOT NULL,
      is_global INTEGER NOT NULL,
      label TEXT,
      spawned_by TEXT,
      derived_title TEXT,
      display_name TEXT,
      entry TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS sessions_recent ON sessions (updated_at DESC);
    -- The default listing leaves out :global sessions; with is_global in the index an offset skips rows without reading them.
    CREATE INDEX IF NOT EXISTS sessions_recent_local ON sessions (is_global, updated_at DESC);
    CREATE INDEX IF NOT EXISTS sessions_by_id ON sessions (session_id);
  `);
  // The search filter's case folding is JavaScript's, as before the index (SQLite's lower() is ASCII only).
  db.function('contains_ci', { deterministic: true }, (hay: unknown, needle: unknown) =>
    typeof hay === 'string' && typeof needle === 'string' && hay.toLowerCase().includes(needle) ? 1 : 0,
  );
}

function prepare(db: SqliteDatabase) {
  return {
    get: db.prepare('SELECT entry FROM sessions WHERE key = ?'),
    has: db.prepare('SELECT 1 FROM sessions WHERE key = ?'),
    upsert: db.prepare(`INSERT INTO sessions (key, session_id, updated_at, is_global, label, spawned_by, derived_title, display_name, entry)
      VALUES (@key, @sessionId, @updatedAt, @isGlobal, @label, @spawnedBy, @derivedTitle, @displayName, @entry)
      ON CONFLICT (key) DO UPDATE SET session_id = excluded.session_id, updated_at = excluded.updated_at, is_global = excluded.is_global,
        label = excluded.label, spawned_by = excluded.spawned_by, derived_title = excluded.derived_title,
        display_name = excluded.display_name, entry = excluded.entry`),
    remove: db.prepare('DELETE FROM sessions WHERE key = ?'),
    count: db.prepare('SELECT count(*) AS n FROM sessions'),
    countGlobal: db.prepare('SELECT count(*) AS n FROM sessions WHERE is_global = 1'),
    bySessionId: db.prepare('SELECT key FROM sessions WHERE session_id = ? ORDER BY rowid LIMIT 1'),
    after: db.prepare('SELECT rowid AS seq, key, entry FROM sessions WHERE rowid > ? ORDER BY rowid LIMIT ?'),
    metaGet: db.prepare('SELECT value FROM meta WHERE name = ?'),
    metaSet: db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
  };
}

function rowOf(key: string, entry: StoredSessionEntry): Record<string, unknown> {
  return {
    key,
    sessionId: entry.sessionId,
    updatedAt: typeof entry.updatedAt === 'number' && Number.isFinite(entry.updatedAt) ? entry.updatedAt : 0,
    isGlobal: isGlobalKey(key) ? 1 : 0,
    label: text(entry.label),
    spawnedBy: text(entry.spawnedBy),
    derivedTitle: text(entry.derivedTitle),
    displayName: text(entry.displayName),
    entry: JSON.stringify(entry),
  };
}

function isUnfiltered(filter: IndexFilter): boolean {
  return !filter.since && filter.label === undefined && filter.spawnedBy === undefined && !filter.search;
}

function sqlFilter(filter: IndexFilter): { where: string; args: unknown[] } {
  const clauses: string[] = [];
  const args: unknown[] = [];
  if (filter.since) {
    clauses.push('updated_at >= ?');
    args.push(filter.since);
  }
  if (filter.label !== undefined) {
    clauses.push('label = ?');
    args.push(filter.label);
  }
  if (filter.spawnedBy !== undefined) {
    clauses.push('spawned_by = ?');
    args.push(filter.spawnedBy);
  }
  if (!filter.includeGlobal) clauses.push('is_global = 0');
  if (filter.search) {
    clauses.push('(contains_ci(key, ?) OR contains_ci(label, ?) OR contains_ci(derived_title, ?) OR contains_ci(display_name, ?))');
    args.push(filter.search, filter.search, filter.search, filter.search);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', args };
}

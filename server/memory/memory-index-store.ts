// The SQLite file of one agent's memory index: files (what was indexed, by size/mtime/hash),
// chunks with two FTS5 indexes over them (unicode61 words with BM25, and trigrams for scripts
// written without spaces), chunk vectors as BLOBs and an embedding cache by chunk hash. WAL and
// one transaction per batch of files: a process killed mid-index leaves the last committed state.
import { mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MemoryChunk } from './markdown-chunks.js';
import type { SqliteDatabase } from './sqlite-runtime.js';
import { sqliteDriver } from './sqlite-runtime.js';

const SCHEMA_VERSION = '1';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, hash TEXT NOT NULL, size INTEGER NOT NULL, mtime_ms REAL NOT NULL, indexed_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (id INTEGER PRIMARY KEY, path TEXT NOT NULL, start_line INTEGER NOT NULL, end_line INTEGER NOT NULL, hash TEXT NOT NULL, text TEXT NOT NULL, note_ms INTEGER);
CREATE INDEX IF NOT EXISTS chunks_by_path ON chunks(path);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(text, content='chunks', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_tri USING fts5(text, content='chunks', content_rowid='id', tokenize='trigram');
CREATE TABLE IF NOT EXISTS chunk_vectors (id INTEGER PRIMARY KEY, embedding BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS embedding_cache (model TEXT NOT NULL, hash TEXT NOT NULL, embedding BLOB NOT NULL, PRIMARY KEY (model, hash));
CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
  INSERT INTO chunks_fts(rowid, text) VALUES (new.id, new.text);
  INSERT INTO chunks_tri(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
  INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO chunks_tri(chunks_tri, rowid, text) VALUES ('delete', old.id, old.text);
  DELETE FROM chunk_vectors WHERE id = old.id;
END;
`;

export interface IndexedFile {
  readonly hash: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface StoredChunk {
  readonly id: number;
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
  readonly noteMs: number | null;
}

export interface FileWrite {
  readonly path: string;
  readonly hash: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** New chunks; undefined when only size/mtime changed (same content). */
  readonly chunks: readonly MemoryChunk[] | undefined;
  readonly noteMs: number | undefined;
}

/** Opens (creating) the index file; a file that is not a usable database is moved aside and rebuilt. */
export function openIndexDatabase(path: string): SqliteDatabase {
  const driver = sqliteDriver();
  if (!driver.ok) throw new Error(driver.error);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const open = (): SqliteDatabase => {
    const db = new driver.Database(path);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      db.exec(SCHEMA);
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  };
  try {
    return open();
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (!/SQLITE_(CORRUPT|NOTADB)/.test(code)) throw error;
    renameSync(path, `${path}.corrupt-${Date.now()}`);
    return open();
  }
}

export class MemoryIndexStore {
  private readonly stmt;

  constructor(readonly db: SqliteDatabase) {
    this.stmt = {
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      files: db.prepare<[], { path: string; hash: string; size: number; mtime_ms: number }>('SELECT path, hash, size, mtime_ms FROM files'),
      upsertFile: db.prepare('INSERT INTO files(path, hash, size, mtime_ms, indexed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET hash = excluded.hash, size = excluded.size, mtime_ms = excluded.mtime_ms, indexed_at = excluded.indexed_at'),
      deleteFile: db.prepare('DELETE FROM files WHERE path = ?'),
      deleteChunks: db.prepare<[string], { id: number }>('DELETE FROM chunks WHERE path = ? RETURNING id'),
      insertChunk: db.prepare('INSERT INTO chunks(path, start_line, end_line, hash, text, note_ms) VALUES (?, ?, ?, ?, ?, ?)'),
      counts: db.prepare<[], { files: number; chunks: number; last: number | null }>('SELECT (SELECT count(*) FROM files) AS files, (SELECT count(*) FROM chunks) AS chunks, (SELECT max(indexed_at) FROM files) AS last'),
      chunk: db.prepare<[number], { id: number; path: string; start_line: number; end_line: number; text: string; note_ms: number | null }>('SELECT id, path, start_line, end_line, text, note_ms FROM chunks WHERE id = ?'),
      missingVectors: db.prepare<[number], { id: number; hash: string; text: string }>('SELECT c.id, c.hash, c.text FROM chunks c LEFT JOIN chunk_vectors v ON v.id = c.id WHERE v.id IS NULL ORDER BY c.id LIMIT ?'),
      cached: db.prepare<[string, string], { embedding: Buffer }>('SELECT embedding FROM embedding_cache WHERE model = ? AND hash = ?'),
      cache: db.prepare('INSERT OR REPLACE INTO embedding_cache(model, hash, embedding) VALUES (?, ?, ?)'),
      putVector: db.prepare('INSERT OR REPLACE INTO chunk_vectors(id, embedding) VALUES (?, ?)'),
      vectors: db.prepare<[], { id: number; embedding: Buffer }>('SELECT id, embedding FROM chunk_vectors'),
      vectorCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM chunk_vectors'),
    };
    if (this.meta('schema_version') !== SCHEMA_VERSION) this.setMeta('schema_version', SCHEMA_VERSION);
  }

  meta(key: string): string | undefined {
    return this.stmt.getMeta.get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.stmt.setMeta.run(key, value);
  }

  indexedFiles(): Map<string, IndexedFile> {
    const out = new Map<string, IndexedFile>();
    for (const row of this.stmt.files.all()) out.set(row.path, { hash: row.hash, size: row.size, mtimeMs: row.mtime_ms });
    return out;
  }

  /** Writes a batch of files and removals in one transaction; returns the ids of removed chunks. */
  writeBatch(writes: readonly FileWrite[], removals: readonly string[], now: number): number[] {
    const removed: number[] = [];
    this.db.transaction(() => {
      for (const path of removals) {
        for (const row of this.stmt.deleteChunks.all(path)) removed.push(row.id);
        this.stmt.deleteFile.run(path);
      }
      for (const w of writes) {
        if (w.chunks) {
          for (const row of this.stmt.deleteChunks.all(w.path)) removed.push(row.id);
          for (const c of w.chunks) this.stmt.insertChunk.run(w.path, c.startLine, c.endLine, c.hash, c.text, w.noteMs ?? null);
        }
        this.stmt.upsertFile.run(w.path, w.hash, w.size, w.mtimeMs, now);
      }
    })();
    return removed;
  }

  /** Forgets every file (the next sync re-chunks everything). */
  forgetFiles(): void {
    this.db.exec('DELETE FROM files');
  }

  counts(): { files: number; chunks: number; lastIndexedAt: number | null } {
    const row = this.stmt.counts.get()!;
    return { files: row.files, chunks: row.chunks, lastIndexedAt: row.last };
  }

  chunk(id: number): StoredChunk | undefined {
    const row = this.stmt.chunk.get(id);
    return row ? { id: row.id, path: row.path, startLine: row.start_line, endLine: row.end_line, text: row.text, noteMs: row.note_ms } : undefined;
  }

  chunksWithoutVectors(limit: number): { id: number; hash: string; text: string }[] {
    return this.stmt.missingVectors.all(limit);
  }

  cachedEmbedding(model: string, hash: string): Float32Array | undefined {
    const row = this.stmt.cached.get(model, hash);
    return row ? blobToVector(row.embedding) : undefined;
  }

  /** Stores vectors (and caches them by chunk hash) in one transaction. */
  putVectors(model: string, rows: readonly { id: number; hash: string; vector: Float32Array }[]): void {
    this.db.transaction(() => {
      for (const r of rows) {
        const blob = vectorToBlob(r.vector);
        this.stmt.putVector.run(r.id, blob);
        this.stmt.cache.run(model, r.hash, blob);
      }
    })();
  }

  allVectors(): { id: number; vector: Float32Array }[] {
    return this.stmt.vectors.all().map((r) => ({ id: r.id, vector: blobToVector(r.embedding) }));
  }

  vectorCount(): number {
    return this.stmt.vectorCount.get()!.n;
  }

  clearVectors(): void {
    this.db.exec('DELETE FROM chunk_vectors');
  }

  close(): void {
    this.db.close();
  }
}

export function vectorToBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

export function blobToVector(blob: Buffer): Float32Array {
  // Copy: the Buffer may not be 4-byte aligned.
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return new Float32Array(copy.buffer);
}

// Nearest chunks to a query vector by cosine similarity: a sqlite-vec `vec0` table when the
// extension loaded, else an in-process scan over the stored vectors (kept normalised in memory).
// The chunk_vectors BLOBs stay the source of truth; the vec0 table is rebuilt from them when unsure.
import type BetterSqlite3 from 'better-sqlite3';
import type { MemoryIndexStore } from './memory-index-store.js';
import type { SqliteDatabase } from './sqlite-runtime.js';

type Statement = BetterSqlite3.Statement<unknown[], unknown>;

export interface VectorHit {
  readonly id: number;
  /** Cosine similarity, -1..1. */
  readonly score: number;
}

export interface VectorIndex {
  readonly backend: 'sqlite-vec' | 'in-process';
  put(rows: readonly { id: number; vector: Float32Array }[]): void;
  remove(ids: readonly number[]): void;
  clear(): void;
  search(query: Float32Array, k: number): VectorHit[];
}

function normalised(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  const norm = Math.sqrt(sum);
  if (norm === 0) return vector;
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i]! / norm;
  return out;
}

/** Brute force over normalised vectors: fine for the tens of thousands of chunks a memory holds. */
export class InProcessVectorIndex implements VectorIndex {
  readonly backend = 'in-process' as const;
  private vectors: Map<number, Float32Array> | undefined;

  constructor(private readonly store: MemoryIndexStore) {}

  private all(): Map<number, Float32Array> {
    if (!this.vectors) {
      this.vectors = new Map();
      for (const row of this.store.allVectors()) this.vectors.set(row.id, normalised(row.vector));
    }
    return this.vectors;
  }

  put(rows: readonly { id: number; vector: Float32Array }[]): void {
    if (!this.vectors) return; // loaded on first search
    for (const r of rows) this.vectors.set(r.id, normalised(r.vector));
  }

  remove(ids: readonly number[]): void {
    if (!this.vectors) return;
    for (const id of ids) this.vectors.delete(id);
  }

  clear(): void {
    this.vectors = new Map();
  }

  search(query: Float32Array, k: number): VectorHit[] {
    const q = normalised(query);
    const hits: VectorHit[] = [];
    for (const [id, v] of this.all()) {
      if (v.length !== q.length) continue;
      let dot = 0;
      for (let i = 0; i < q.length; i++) dot += q[i]! * v[i]!;
      hits.push({ id, score: dot });
    }
    hits.sort((a, b) => b.score - a.score);
    return hits.slice(0, k);
  }
}

/** A vec0 table with cosine distance; created at the first vector, recreated when the dimensions change. */
export class SqliteVecIndex implements VectorIndex {
  readonly backend = 'sqlite-vec' as const;
  private dims: number | undefined;
  private stmts: { insert: Statement; del: Statement; knn: Statement } | undefined;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly store: MemoryIndexStore,
  ) {
    const dims = Number(store.meta('vec_dims'));
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'chunks_vec'").get() !== undefined;
    if (dims > 0 && exists) {
      this.dims = dims;
      const n = (db.prepare('SELECT count(*) AS n FROM chunks_vec').get() as { n: number }).n;
      if (n !== store.vectorCount()) this.rebuild(dims);
    }
  }

  private statements(): { insert: Statement; del: Statement; knn: Statement } {
    this.stmts ??= {
      insert: this.db.prepare('INSERT INTO chunks_vec(rowid, embedding) VALUES (?, ?)'),
      del: this.db.prepare('DELETE FROM chunks_vec WHERE rowid = ?'),
      knn: this.db.prepare('SELECT rowid AS id, distance FROM chunks_vec WHERE embedding MATCH ? AND k = ?'),
    };
    return this.stmts;
  }

  private rebuild(dims: number): void {
    this.stmts = undefined;
    this.db.exec('DROP TABLE IF EXISTS chunks_vec');
    this.db.exec(`CREATE VIRTUAL TABLE chunks_vec USING vec0(embedding float[${dims}] distance_metric=cosine)`);
    this.dims = dims;
    this.store.setMeta('vec_dims', String(dims));
    const { insert } = this.statements();
    this.db.transaction(() => {
      for (const row of this.store.allVectors()) if (row.vector.length === dims) insert.run(BigInt(row.id), blob(row.vector));
    })();
  }

  put(rows: readonly { id: number; vector: Float32Array }[]): void {
    if (rows.length === 0) return;
    const dims = rows[0]!.vector.length;
    if (this.dims !== dims) {
      this.rebuild(dims);
      return; // rebuild copied every stored vector, these included
    }
    const { insert, del } = this.statements();
    this.db.transaction(() => {
      for (const r of rows) {
        if (r.vector.length !== dims) continue;
        del.run(BigInt(r.id));
        insert.run(BigInt(r.id), blob(r.vector));
      }
    })();
  }

  remove(ids: readonly number[]): void {
    if (this.dims === undefined || ids.length === 0) return;
    const { del } = this.statements();
    this.db.transaction(() => {
      for (const id of ids) del.run(BigInt(id));
    })();
  }

  clear(): void {
    this.stmts = undefined;
    this.db.exec('DROP TABLE IF EXISTS chunks_vec');
    this.dims = undefined;
    this.store.setMeta('vec_dims', '');
  }

  search(query: Float32Array, k: number): VectorHit[] {
    if (this.dims === undefined || query.length !== this.dims) return [];
    const rows = this.statements().knn.all(blob(query), k) as { id: number | bigint; distance: number }[];
    return rows.map((r) => ({ id: Number(r.id), score: 1 - r.distance }));
  }
}

const blob = (v: Float32Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

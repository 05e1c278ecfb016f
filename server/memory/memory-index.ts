// One agent's memory index: follows the files (a watcher hints, a size/mtime check before each
// search decides), re-chunks what changed in batched transactions, embeds chunks that have no
// vector yet (a new embedding model empties them all), and answers keyword or hybrid searches.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { MemoryIndexStatus, MemorySearchHit, MemorySearchResult } from '../../contract/schemas/memory.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { chunkMarkdown } from './markdown-chunks.js';
import { listMemoryFiles, noteDateMs } from './memory-files.js';
import type { MemoryEmbedder } from './memory-embedder.js';
import { MemoryIndexStore, openIndexDatabase, type FileWrite, type IndexedFile } from './memory-index-store.js';
import type { MemorySettings } from './memory-settings.js';
import { MemoryWatcher } from './memory-watcher.js';
import { rankHits } from './hybrid-ranking.js';
import { KeywordSearcher } from './keyword-search.js';
import { loadVectorExtension, type VectorExtension } from './sqlite-runtime.js';
import { InProcessVectorIndex, SqliteVecIndex, type VectorIndex } from './vector-index.js';

const FILES_PER_TRANSACTION = 100;
const VECTOR_BATCH = 256;
const SNIPPET_MAX_CHARS = 700;
/** With a live watcher, every search still compares the file names; sizes and mtimes at most this often. */
const FULL_CHECK_INTERVAL_MS = 1000;

export type EmbedderChoice = MemoryEmbedder | undefined | { error: string };

export interface MemoryIndexDeps {
  readonly agentId: string;
  readonly dbPath: string;
  workspace(): string;
  settings(): MemorySettings;
  embedder(): EmbedderChoice;
  readonly logger: GatewayLogger;
}

export interface SyncReport {
  readonly indexed: number;
  readonly removed: number;
  readonly embedded: number;
}

function folderMtime(workspace: string): number | undefined {
  try {
    return statSync(join(workspace, 'memory')).mtimeMs;
  } catch {
    return undefined;
  }
}

const usable = (e: EmbedderChoice): e is MemoryEmbedder => e !== undefined && !('error' in e);

export class MemoryIndex {
  private readonly store: MemoryIndexStore;
  private readonly vectors: VectorIndex;
  private readonly keyword: KeywordSearcher;
  private readonly extension: VectorExtension;
  private indexed: Map<string, IndexedFile>;
  private running: Promise<SyncReport> | undefined;
  private again = false;
  /** Set by the watcher (and at open) until a sync has run. */
  private hinted = true;
  private watcher: MemoryWatcher | undefined;
  private lastError: string | undefined;
  private vectorError: string | undefined;
  private closed = false;
  private lastFullCheck = -Infinity;
  /** mtime of memory/ when the last sync listed it. */
  private folderMtimeAtSync: number | undefined;

  constructor(private readonly deps: MemoryIndexDeps) {
    const db = openIndexDatabase(deps.dbPath);
    this.store = new MemoryIndexStore(db);
    const settings = deps.settings();
    this.extension = settings.vectorEnabled ? loadVectorExtension(db, settings.extensionPath) : { loaded: false, error: 'sqlite-vec disabled (store.vector.enabled false)' };
    this.vectors = this.extension.loaded ? new SqliteVecIndex(db, this.store) : new InProcessVectorIndex(this.store);
    this.keyword = new KeywordSearcher(db);
    this.indexed = this.store.indexedFiles();
    this.watch();
  }

  get agentId(): string {
    return this.deps.agentId;
  }

  /** Starts (or moves) the watcher when watching is on and the workspace exists. */
  private watch(): void {
    const settings = this.deps.settings();
    const workspace = this.deps.workspace();
    if (this.watcher && (!settings.watch || this.watcher.workspace !== workspace)) {
      void this.watcher.stop();
      this.watcher = undefined;
    }
    if (!settings.watch || this.closed) return;
    this.watcher ??= new MemoryWatcher(
      workspace,
      settings.watchDebounceMs,
      (paths) => {
        this.sync('watch', undefined, paths).catch((error: unknown) => this.deps.logger.warn('memory sync failed', { agentId: this.agentId, error: (error as Error).message }));
      },
      (message) => {
        this.lastError = message;
        this.deps.logger.warn(message, { agentId: this.agentId });
      },
    );
    this.watcher.start();
  }

  /** The cheap check: a file came, went, or changed size or mtime since the last sync. */
  stale(): boolean {
    const disk = listMemoryFiles(this.deps.workspace());
    if (disk.length !== this.indexed.size) return true;
    for (const file of disk) {
      const known = this.indexed.get(file.path);
      if (!known || known.size !== file.size || known.mtimeMs !== file.mtimeMs) return true;
    }
    return false;
  }

  /** A watcher hint, or a file that came, went or changed: stat everything unless a live watcher vouches for the contents (then at most once a second). */
  private needsSync(): boolean {
    if (this.hinted || this.running !== undefined || this.watcher?.hasPending) return true;
    const now = performance.now();
    if (this.watcher?.active && this.watcher.isReady && now - this.lastFullCheck < FULL_CHECK_INTERVAL_MS) return this.namesChanged();
    this.lastFullCheck = now;
    return this.stale();
  }

  /** The cheapest check: a root memory file came or went, or memory/ changed (its mtime moves when entries are added, removed or renamed). */
  private namesChanged(): boolean {
    const workspace = this.deps.workspace();
    for (const name of ['MEMORY.md', 'memory.md']) {
      if (this.indexed.has(name) !== existsSync(join(workspace, name))) return true;
    }
    return folderMtime(workspace) !== this.folderMtimeAtSync;
  }

  /** Brings the index up to the files; one sync at a time, and one more if asked meanwhile. */
  sync(reason: string, signal: AbortSignal = new AbortController().signal, only?: ReadonlySet<string>): Promise<SyncReport> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<SyncReport> => {
      let report: SyncReport = { indexed: 0, removed: 0, embedded: 0 };
      try {
        let paths = only;
        do {
          this.again = false;
          this.hinted = false;
          const next = await this.syncOnce(signal, paths);
          paths = undefined; // a pass asked for meanwhile covers everything
          report = { indexed: report.indexed + next.indexed, removed: report.removed + next.removed, embedded: report.embedded + next.embedded };
        } while (this.again && !this.closed);
        this.lastError = undefined;
        if (report.indexed || report.removed || report.embedded) this.deps.logger.debug('memory synced', { agentId: this.agentId, reason, ...report });
        return report;
      } catch (error) {
        this.hinted = true;
        this.lastError = (error as Error).message;
        throw error;
      } finally {
        this.running = undefined;
      }
    };
    this.running = run();
    return this.running;
  }

  /** One pass over every file, or over `only` (workspace-relative paths a watcher reported). */
  private async syncOnce(signal: AbortSignal, only?: ReadonlySet<string>): Promise<SyncReport> {
    if (this.closed) return { indexed: 0, removed: 0, embedded: 0 };
    this.watch();
    const settings = this.deps.settings();
    const embedder = this.deps.embedder();
    const chunkKey = `${settings.chunkTokens}/${settings.chunkOverlap}`;
    if (this.store.meta('chunk_key') !== chunkKey) {
      this.store.db.exec('DELETE FROM chunks; DELETE FROM files;');
      this.indexed.clear();
      this.vectors.clear();
      this.store.setMeta('chunk_key', chunkKey);
    }
    const embedKey = usable(embedder) ? embedder.key : '';
    if ((this.store.meta('embed_key') ?? '') !== embedKey) {
      this.store.clearVectors();
      this.vectors.clear();
      this.store.setMeta('embed_key', embedKey);
      this.vectorError = undefined;
    }

    const workspace = this.deps.workspace();
    const folderMtime0 = folderMtime(workspace);
    const disk = only ? listMemoryFiles(workspace, only) : listMemoryFiles(workspace);
    const known = this.indexed;
    const onDisk = new Set(disk.map((f) => f.path));
    const removals = [...(only ?? known.keys())].filter((path) => known.has(path) && !onDisk.has(path));
    let batch: FileWrite[] = [];
    let indexed = 0;
    const commit = (drop: readonly string[]): void => {
      const removedIds = this.store.writeBatch(batch, drop, Date.now());
      for (const path of drop) this.indexed.delete(path);
      for (const w of batch) this.indexed.set(w.path, { hash: w.hash, size: w.size, mtimeMs: w.mtimeMs });
      this.vectors.remove(removedIds);
      indexed += batch.filter((w) => w.chunks).length;
      batch = [];
    };
    for (const file of disk) {
      const prev = known.get(file.path);
      if (prev && prev.size === file.size && prev.mtimeMs === file.mtimeMs) continue;
      let content: string;
      try {
        content = readFileSync(file.abs, 'utf8');
      } catch (error) {
        this.lastError = `cannot read ${file.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
        continue;
      }
      const hash = createHash('sha256').update(content).digest('hex');
      const same = prev?.hash === hash;
      batch.push({
        path: file.path,
        hash,
        size: file.size,
        mtimeMs: file.mtimeMs,
        chunks: same ? undefined : chunkMarkdown(content, { tokens: settings.chunkTokens, overlap: settings.chunkOverlap }),
        noteMs: noteDateMs(file.path),
      });
      if (batch.length >= FILES_PER_TRANSACTION) commit([]);
    }
    commit(removals);
    if (!only) this.folderMtimeAtSync = folderMtime0;
    const embedded = usable(embedder) && settings.hybridEnabled ? await this.embedMissing(embedder, signal) : 0;
    return { indexed, removed: removals.length, embedded };
  }

  /** Embeds chunks without a vector, reusing cached vectors of unchanged chunk text. */
  private async embedMissing(embedder: MemoryEmbedder, signal: AbortSignal): Promise<number> {
    let embedded = 0;
    let lastFirst = -1;
    for (;;) {
      const rows = this.store.chunksWithoutVectors(VECTOR_BATCH);
      if (rows.length === 0 || rows[0]!.id === lastFirst) break;
      lastFirst = rows[0]!.id;
      const ready: { id: number; hash: string; vector: Float32Array }[] = [];
      const need: typeof rows = [];
      for (const row of rows) {
        const cached = this.store.cachedEmbedding(embedder.key, row.hash);
        if (cached) ready.push({ id: row.id, hash: row.hash, vector: cached });
        else need.push(row);
      }
      if (need.length > 0) {
        try {
          const vectors = await embedder.embed(need.map((r) => r.text), signal);
          need.forEach((row, i) => ready.push({ id: row.id, hash: row.hash, vector: vectors[i]! }));
          this.vectorError = undefined;
        } catch (error) {
          this.vectorError = `embeddings failed (${(error as Error).message}); keyword search still works`;
          this.deps.logger.warn('memory embeddings failed', { agentId: this.agentId, error: (error as Error).message });
          if (ready.length === 0) break;
        }
      }
      if (this.closed) break;
      this.store.putVectors(embedder.key, ready);
      this.vectors.put(ready);
      if (ready[0]) this.store.setMeta('embed_dims', String(ready[0].vector.length));
      embedded += ready.length;
    }
    return embedded;
  }

  async search(query: string, options: { limit?: number; minScore?: number }, signal: AbortSignal): Promise<MemorySearchResult> {
    const settings = this.deps.settings();
    if (settings.syncOnSearch && this.needsSync()) {
      try {
        await this.sync('search', signal);
      } catch (error) {
        // An index that cannot be refreshed still answers from what it has; status says why.
        this.deps.logger.warn('memory sync before search failed', { agentId: this.agentId, error: (error as Error).message });
      }
    }
    const limit = options.limit ?? settings.maxResults;
    const k = limit * settings.candidateMultiplier;
    const text = this.keyword.search(query, k);
    const embedder = this.deps.embedder();
    let vector;
    let fallback: string | undefined;
    if (usable(embedder) && settings.hybridEnabled) {
      try {
        const [q] = await embedder.embed([query.slice(0, 8000)], signal);
        vector = this.vectors.search(q!, k);
      } catch (error) {
        fallback = `embeddings failed (${(error as Error).message}); keyword results only`;
      }
    } else if (embedder && 'error' in embedder) {
      fallback = `${embedder.error}; keyword results only`;
    }
    const chunks = new Map<number, ReturnType<MemoryIndexStore['chunk']>>();
    const chunkOf = (id: number) => {
      if (!chunks.has(id)) chunks.set(id, this.store.chunk(id));
      return chunks.get(id);
    };
    const ranked = rankHits(text, vector, {
      vectorWeight: settings.vectorWeight,
      textWeight: settings.textWeight,
      minScore: options.minScore ?? settings.minScore,
      limit,
      decayHalfLifeDays: settings.decayHalfLifeDays,
      noteMs: (id) => chunkOf(id)?.noteMs ?? null,
      now: Date.now(),
    });
    const results: MemorySearchHit[] = [];
    for (const hit of ranked) {
      const chunk = chunkOf(hit.id);
      if (!chunk) continue;
      const snippet = chunk.text.length > SNIPPET_MAX_CHARS ? `${chunk.text.slice(0, SNIPPET_MAX_CHARS)}…` : chunk.text;
      results.push({ path: chunk.path, startLine: chunk.startLine, endLine: chunk.endLine, score: Math.round(hit.score * 10_000) / 10_000, snippet, source: 'memory' });
    }
    const answer: MemorySearchResult = {
      agentId: this.agentId,
      mode: vector ? 'hybrid' : 'keyword',
      provider: usable(embedder) && vector ? embedder.label : 'fts',
      results,
    };
    if (usable(embedder) && vector) answer.model = embedder.model;
    if (fallback) answer.fallback = fallback;
    return answer;
  }

  status(): MemoryIndexStatus {
    const settings = this.deps.settings();
    const embedder = this.deps.embedder();
    const counts = this.store.counts();
    const dims = Number(this.store.meta('embed_dims'));
    const hybrid = usable(embedder) && settings.hybridEnabled;
    const vectorError = this.vectorError ?? (embedder && 'error' in embedder ? embedder.error : this.extension.error);
    const status: MemoryIndexStatus = {
      agentId: this.agentId,
      workspace: this.deps.workspace(),
      dbPath: this.deps.dbPath,
      files: counts.files,
      chunks: counts.chunks,
      lastIndexedAt: counts.lastIndexedAt,
      dirty: this.hinted || (this.watcher?.hasPending ?? false) || this.stale(),
      indexing: this.running !== undefined,
      watching: this.watcher?.active ?? false,
      mode: hybrid ? 'hybrid' : 'keyword',
      provider: hybrid ? embedder.label : 'fts',
      fts: { available: true, trigram: true },
      vector: { enabled: hybrid, available: true, backend: this.vectors.backend },
    };
    if (hybrid) status.model = embedder.model;
    if (this.extension.version) status.vector.extensionVersion = this.extension.version;
    if (dims > 0 && hybrid) status.vector.dims = dims;
    if (vectorError) status.vector.error = vectorError;
    if (this.lastError) status.lastError = this.lastError;
    return status;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.watcher?.stop();
    await this.running?.catch(() => undefined);
    this.store.close();
  }
}

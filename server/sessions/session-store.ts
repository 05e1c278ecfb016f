// Session entries per agent in upstream's layout: agents/<agentId>/sessions/sessions.json (key →
// entry) beside one <sessionId>.jsonl transcript each. The live index is SQLite beside it
// (session-index-db.ts): a change is one row written at once; sessions.json is exported from it
// lazily — after changes reaching 1/EXPORT_RATIO of the entries (so its rewrites cost O(1) per change
// amortized), on flush and at shutdown — and an index out of step with it is rebuilt from it.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { LRUCache } from 'lru-cache';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import type { IndexFilter } from './session-index-db.js';
import { exportSessionsJson, INDEX_FILE, openSessionIndex, type IndexSyncContext, type SessionIndex } from './session-index-sync.js';
import { canonicalSessionKey, parseSessionKey } from './session-key.js';
import { TranscriptFile } from './transcript-file.js';
import type { MessageEntry } from './transcript-types.js';

/** A message was appended to the transcript of `sessionKey` (canonical). */
export type SessionMessageListener = (sessionKey: string, entry: MessageEntry, messageSeq: number) => void;

/** A stored session (open: fields from upstream stores are kept as they are). */
export interface StoredSessionEntry {
  sessionId: string;
  updatedAt: number;
  createdAt?: number;
  sessionFile?: string;
  label?: string;
  /** The model that answered last (runtime). */
  model?: string;
  modelProvider?: string;
  /** `<provider>/<model>` set by sessions.patch / spawn; wins over the agent's model. */
  modelOverride?: string;
  spawnedBy?: string;
  parentSessionKey?: string;
  childSessions?: string[];
  spawnDepth?: number;
  inputTokens?: number;
  outputTokens?: number;
  cacheRead?: number;
  cacheWrite?: number;
  totalTokens?: number;
  estimatedCostUsd?: number;
  status?: 'running' | 'done' | 'failed' | 'killed' | 'timeout';
  startedAt?: number;
  endedAt?: number;
  runtimeMs?: number;
  abortedLastRun?: boolean;
  lastMessagePreview?: string;
  derivedTitle?: string;
  compactionCheckpointCount?: number;
  [key: string]: unknown;
}

/** A session of a listing, with the agent it belongs to. */
export interface ListedSession {
  readonly key: string;
  readonly agentId: string;
  readonly entry: StoredSessionEntry;
}

const MAX_CACHED_TRANSCRIPTS = 64;
/** sessions.json is exported once the changes since its last export reach 1/EXPORT_RATIO of the entries. */
const EXPORT_RATIO = 8;
/** A burst of changes (a run's start and end) costs one export. */
const EXPORT_DELAY_MS = 200;
/** The key shapes of the OpenAI layer's stateless sessions (stateless-session-key.ts), as GLOBs. */
const STATELESS_GLOBS = ['agent:*:openai:*', 'agent:*:openresponses:*'];

export class SessionStore {
  private readonly indexes = new Map<string, SessionIndex>();
  private readonly exportDue = new Set<string>();
  private exporting: Promise<void> | undefined;
  private exportTimer: NodeJS.Timeout | undefined;
  /** The most recently used transcripts stay parsed in memory; an evicted one is closed (its appends are on disk already). */
  private readonly transcripts = new LRUCache<string, TranscriptFile>({
    max: MAX_CACHED_TRANSCRIPTS,
    dispose: (file, _id, reason) => {
      if (reason !== 'evict') return;
      const closed = file.close().finally(() => this.closing.delete(closed));
      this.closing.add(closed);
    },
  });
  /** Evicted transcripts still syncing; flush() waits for them. */
  private readonly closing = new Set<Promise<void>>();
  private readonly messageListeners = new Set<SessionMessageListener>();

  constructor(
    private readonly stateDir: string,
    private readonly logger: GatewayLogger,
    /** The default agent and the main key (MainSession): bare keys and the alias `main` resolve through it. */
    private readonly keys: { defaultAgentId(): string; mainKey(): string },
    private readonly workspaceOf: (agentId: string) => string,
  ) {}

  canonical(key: string): string {
    return canonicalSessionKey(key, this.keys.defaultAgentId(), this.keys.mainKey());
  }

  /** `agent:<agentId>:<mainKey>`: where a run that names no session goes. */
  mainSessionKey(agentId: string): string {
    return `agent:${agentId}:${this.keys.mainKey()}`;
  }

  agentOf(key: string): string {
    return parseSessionKey(this.canonical(key))!.agentId;
  }

  sessionsDir(agentId: string): string {
    return join(this.stateDir, 'agents', agentId, 'sessions');
  }

  indexPath(agentId: string): string {
    return join(this.sessionsDir(agentId), 'sessions.json');
  }

  get(key: string): StoredSessionEntry | undefined {
    const canonical = this.canonical(key);
    return this.index(this.agentOf(canonical)).get(canonical);
  }

  /** The key of the session whose sessionId this is (any known agent). */
  keyOfSessionId(sessionId: string): string | undefined {
    for (const agentId of this.knownAgents()) {
      const key = this.index(agentId).keyOfSessionId(sessionId);
      if (key) return key;
    }
    return undefined;
  }

  /** The entry for a key, created (and written) when missing. */
  ensure(key: string, init: Partial<StoredSessionEntry> = {}): { key: string; entry: StoredSessionEntry; created: boolean } {
    const canonical = this.canonical(key);
    const agentId = this.agentOf(canonical);
    const index = this.index(agentId);
    const existing = index.get(canonical);
    if (existing) return { key: canonical, entry: existing, created: false };
    const now = Date.now();
    const sessionId = randomUUID();
    const entry: StoredSessionEntry = {
      ...init,
      sessionId,
      createdAt: now,
      updatedAt: now,
      sessionFile: join(this.sessionsDir(agentId), `${sessionId}.jsonl`),
    };
    index.put(canonical, entry);
    this.changed(agentId);
    return { key: canonical, entry, created: true };
  }

  /** Mutates an entry and schedules the index write. */
  update(key: string, mutate: (entry: StoredSessionEntry) => void): StoredSessionEntry | undefined {
    const canonical = this.canonical(key);
    const agentId = this.agentOf(canonical);
    const index = this.index(agentId);
    const entry = index.get(canonical);
    if (!entry) return undefined;
    mutate(entry);
    index.put(canonical, entry);
    this.changed(agentId);
    return entry;
  }

  /** Sessions of the agents (every known agent when omitted) matching `filter`, most recently updated first. */
  count(agentIds: readonly string[] | undefined, filter: IndexFilter = { includeGlobal: true }): number {
    let total = 0;
    for (const agentId of agentIds ?? this.knownAgents()) total += this.index(agentId).count(filter);
    return total;
  }

  /** One page of `count`'s sessions: `limit` from `offset`; across agents, ties keep agent order. */
  page(agentIds: readonly string[] | undefined, filter: IndexFilter, offset: number, limit: number): ListedSession[] {
    const ids = agentIds ?? this.knownAgents();
    if (ids.length === 1) return this.index(ids[0]!).page(filter, offset, limit).map((r) => ({ key: r.key, agentId: ids[0]!, entry: r.entry }));
    const merged = ids.flatMap((agentId, order) => this.index(agentId).page(filter, 0, offset + limit).map((r) => ({ order, agentId, row: r })));
    merged.sort((a, b) => b.row.entry.updatedAt - a.row.entry.updatedAt || a.order - b.order || a.row.seq - b.row.seq);
    return merged.slice(offset, offset + limit).map((m) => ({ key: m.row.key, agentId: m.agentId, entry: m.row.entry }));
  }

  /** Every stateless session of the OpenAI layer (`agent:<id>:openai|openresponses:<uuid>`), in creation order. */
  statelessSessions(): { key: string; updatedAt: number }[] {
    return this.knownAgents().flatMap((agentId) => this.index(agentId).keysMatching(STATELESS_GLOBS));
  }

  knownAgents(): string[] {
    const ids = new Set(this.indexes.keys());
    const dir = join(this.stateDir, 'agents');
    if (existsSync(dir)) {
      for (const name of readdirSync(dir)) {
        if (existsSync(this.indexPath(name)) || existsSync(join(this.sessionsDir(name), INDEX_FILE))) ids.add(name);
      }
    }
    return [...ids].sort();
  }

  transcriptPath(agentId: string, entry: StoredSessionEntry): string {
    return typeof entry.sessionFile === 'string' && entry.sessionFile ? entry.sessionFile : join(this.sessionsDir(agentId), `${entry.sessionId}.jsonl`);
  }

  /** The transcript of a session (cached; the most recently used few stay parsed in memory). */
  transcript(key: string): TranscriptFile | undefined {
    const canonical = this.canonical(key);
    const agentId = this.agentOf(canonical);
    const entry = this.index(agentId).get(canonical);
    if (!entry) return undefined;
    let file = this.transcripts.get(entry.sessionId);
    if (file) return file;
    file = new TranscriptFile(
      this.transcriptPath(agentId, entry),
      entry.sessionId,
      this.workspaceOf(agentId),
      (error) => this.logger.error('transcript write failed', { sessionKey: canonical, error: error.message }),
      canonical,
    );
    file.onMessageAppended = (appended, messageSeq) => this.announceMessage(canonical, appended, messageSeq);
    this.transcripts.set(entry.sessionId, file);
    return file;
  }

  /** Listens to every message appended to any transcript; returns the unsubscribe. */
  /** Listeners registered now (tests check that closed streams removed theirs). */
  get messageListenerCount(): number {
    return this.messageListeners.size;
  }

  onMessageAppended(listener: SessionMessageListener): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /** A listener's failure is logged; the append it follows has happened and stands. */
  private announceMessage(sessionKey: string, entry: MessageEntry, messageSeq: number): void {
    for (const listener of this.messageListeners) {
      try {
        listener(sessionKey, entry, messageSeq);
      } catch (error) {
        this.logger.error('session message listener failed', { sessionKey, error: (error as Error).message });
      }
    }
  }

  /** A fresh transcript under the same key; the old one is renamed `<file>.reset.<ts>`. */
  async reset(key: string): Promise<{ key: string; entry: StoredSessionEntry; archived: string | undefined } | undefined> {
    const canonical = this.canonical(key);
    const agentId = this.agentOf(canonical);
    const index = this.index(agentId);
    const old = index.get(canonical);
    if (!old) return undefined;
    const now = Date.now();
    const sessionId = randomUUID();
    const keep: Partial<StoredSessionEntry> = {};
    for (const field of ['label', 'modelOverride', 'thinkingLevel', 'verboseLevel', 'reasoningLevel', 'fastMode', 'sendPolicy', 'spawnedBy', 'parentSessionKey', 'spawnDepth']) {
      if (old[field] !== undefined) keep[field] = old[field];
    }
    const entry: StoredSessionEntry = { ...keep, sessionId, createdAt: now, updatedAt: now, sessionFile: join(this.sessionsDir(agentId), `${sessionId}.jsonl`) };
    index.put(canonical, entry);
    this.changed(agentId);
    const archived = await this.archive(agentId, old, 'reset');
    return { key: canonical, entry, archived };
  }

  /** Removes the entry; the transcript is archived (`.deleted.<ts>`) or, when asked, deleted. */
  async delete(key: string, deleteTranscript: boolean): Promise<{ deleted: boolean; archived: string[] }> {
    const canonical = this.canonical(key);
    const agentId = this.agentOf(canonical);
    const index = this.index(agentId);
    const entry = index.get(canonical);
    if (!entry) return { deleted: false, archived: [] };
    index.remove(canonical);
    this.changed(agentId);
    if (deleteTranscript) {
      const cached = this.transcripts.get(entry.sessionId);
      this.transcripts.delete(entry.sessionId);
      await cached?.close();
      await unlink(this.transcriptPath(agentId, entry)).catch(() => {});
      return { deleted: true, archived: [] };
    }
    const archived = await this.archive(agentId, entry, 'deleted');
    return { deleted: true, archived: archived ? [archived] : [] };
  }

  private async archive(agentId: string, entry: StoredSessionEntry, reason: 'reset' | 'deleted'): Promise<string | undefined> {
    const cached = this.transcripts.get(entry.sessionId);
    this.transcripts.delete(entry.sessionId);
    await cached?.close();
    const path = this.transcriptPath(agentId, entry);
    if (!existsSync(path)) return undefined;
    const target = `${path}.${reason}.${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(path, target);
    return target;
  }

  /** Resolves when every transcript append so far is synced and sessions.json is in step with the index. */
  async flush(): Promise<void> {
    await Promise.all([...this.transcripts.values()].map((t) => t.flush()).concat([...this.closing]));
    if (this.exportTimer) {
      clearTimeout(this.exportTimer);
      this.exportTimer = undefined;
    }
    for (const [agentId, index] of this.indexes) if (index.changesSinceExport > 0) this.exportDue.add(agentId);
    this.startExport();
    while (this.exporting) await this.exporting;
  }

  /** Flushes, then closes the indexes (gateway shutdown); a later use opens them again. */
  async close(): Promise<void> {
    await this.flush();
    for (const index of this.indexes.values()) index.close();
    this.indexes.clear();
  }

  private syncContext(agentId: string): IndexSyncContext {
    return {
      dir: this.sessionsDir(agentId),
      agentId,
      logger: this.logger,
      canonical: (k) => this.canonical(k),
      transcriptPath: (e) => this.transcriptPath(agentId, e),
    };
  }

  /** An export is due once the changes since the last one reach 1/EXPORT_RATIO of the entries. */
  private changed(agentId: string): void {
    const index = this.index(agentId);
    if (index.changesSinceExport * EXPORT_RATIO < index.size) return;
    this.exportDue.add(agentId);
    if (this.exporting || this.exportTimer) return;
    this.exportTimer = setTimeout(() => {
      this.exportTimer = undefined;
      this.startExport();
    }, EXPORT_DELAY_MS);
    this.exportTimer.unref?.();
  }

  /** `.finally` runs after the assignment even when the loop has nothing to do (flush() waits on `exporting`). */
  private startExport(): void {
    if (this.exporting || this.exportDue.size === 0) return;
    this.exporting = this.exportLoop().finally(() => {
      this.exporting = undefined;
    });
  }

  private async exportLoop(): Promise<void> {
    while (this.exportDue.size > 0) {
      const agentId = this.exportDue.values().next().value!;
      this.exportDue.delete(agentId);
      const index = this.indexes.get(agentId);
      if (!index || index.changesSinceExport === 0) continue;
      try {
        await exportSessionsJson(this.syncContext(agentId), index);
      } catch (error) {
        this.logger.error('session index write failed', { agentId, error: (error as Error).message });
      }
    }
  }

  private index(agentId: string): SessionIndex {
    let index = this.indexes.get(agentId);
    if (index) return index;
    index = openSessionIndex(this.syncContext(agentId));
    this.indexes.set(agentId, index);
    if (index.changesSinceExport > 0) this.changed(agentId);
    return index;
  }
}

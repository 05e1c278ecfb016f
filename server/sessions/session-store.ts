// Session entries per agent in upstream's layout: agents/<agentId>/sessions/sessions.json (key →
// entry) beside one <sessionId>.jsonl transcript each. The index is rewritten atomically and
// asynchronously, a change starting a write at once and changes during a write coalescing into the next.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { LRUCache } from 'lru-cache';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { writeFileAtomicAsync } from '../state/atomic-file.js';
import { canonicalSessionKey, parseSessionKey } from './session-key.js';
import { recoverOrphanedTranscripts } from './session-recovery.js';
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

const MAX_CACHED_TRANSCRIPTS = 64;
/** A crash inside this window loses only index fields; transcripts rebuild a lost entry (session-recovery.ts). */
const INDEX_WRITE_DELAY_MS = 50;

export class SessionStore {
  private readonly indexes = new Map<string, Map<string, StoredSessionEntry>>();
  private readonly dirty = new Set<string>();
  private saving: Promise<void> | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
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
    index.set(canonical, entry);
    this.markDirty(agentId);
    return { key: canonical, entry, created: true };
  }

  /** Mutates an entry and schedules the index write. */
  update(key: string, mutate: (entry: StoredSessionEntry) => void): StoredSessionEntry | undefined {
    const canonical = this.canonical(key);
    const agentId = this.agentOf(canonical);
    const entry = this.index(agentId).get(canonical);
    if (!entry) return undefined;
    mutate(entry);
    this.markDirty(agentId);
    return entry;
  }

  /** Every session of the given agents (all agents with a sessions folder when omitted). */
  list(agentIds?: readonly string[]): { key: string; agentId: string; entry: StoredSessionEntry }[] {
    const ids = agentIds ?? this.knownAgents();
    const out: { key: string; agentId: string; entry: StoredSessionEntry }[] = [];
    for (const agentId of ids) for (const [key, entry] of this.index(agentId)) out.push({ key, agentId, entry });
    return out;
  }

  knownAgents(): string[] {
    const ids = new Set(this.indexes.keys());
    const dir = join(this.stateDir, 'agents');
    if (existsSync(dir)) {
      for (const name of readdirSync(dir)) if (existsSync(this.indexPath(name))) ids.add(name);
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
    index.set(canonical, entry);
    this.markDirty(agentId);
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
    index.delete(canonical);
    this.markDirty(agentId);
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

  /** Resolves when every index change and transcript append so far is on disk. */
  async flush(): Promise<void> {
    await Promise.all([...this.transcripts.values()].map((t) => t.flush()).concat([...this.closing]));
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      this.saving ??= this.saveLoop();
    }
    while (this.saving) await this.saving;
  }

  /** Index writes wait a moment so a burst of changes (a run's start and end) costs one write. */
  private markDirty(agentId: string): void {
    this.dirty.add(agentId);
    if (this.saving || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saving ??= this.saveLoop();
    }, INDEX_WRITE_DELAY_MS);
    this.saveTimer.unref?.();
  }

  private async saveLoop(): Promise<void> {
    try {
      while (this.dirty.size > 0) {
        const agentId = this.dirty.values().next().value!;
        this.dirty.delete(agentId);
        const json = `${JSON.stringify(Object.fromEntries(this.index(agentId)), null, 2)}\n`;
        try {
          await writeFileAtomicAsync(this.indexPath(agentId), json);
        } catch (error) {
          this.logger.error('session index write failed', { agentId, error: (error as Error).message });
        }
      }
    } finally {
      this.saving = undefined;
    }
  }

  private index(agentId: string): Map<string, StoredSessionEntry> {
    let index = this.indexes.get(agentId);
    if (index) return index;
    index = new Map();
    const path = this.indexPath(agentId);
    if (existsSync(path)) {
      try {
        const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
          for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
            const entry = value as StoredSessionEntry | null;
            if (entry && typeof entry === 'object' && typeof entry.sessionId === 'string') {
              if (typeof entry.updatedAt !== 'number') entry.updatedAt = 0;
              index.set(this.canonical(key), entry);
            }
          }
        }
      } catch (error) {
        const backup = `${path}.corrupt.${Date.now()}`;
        this.logger.error('session index unreadable; starting empty and keeping a copy', { path, backup, error: (error as Error).message });
        try {
          renameSync(path, backup);
        } catch {
          // keep going with an empty index
        }
      }
    }
    this.indexes.set(agentId, index);
    const recovered = recoverOrphanedTranscripts(
      { dir: this.sessionsDir(agentId), agentId, canonical: (k) => this.canonical(k), transcriptPath: (e) => this.transcriptPath(agentId, e) },
      index,
    );
    if (recovered > 0) {
      this.logger.warn('session index was missing entries; rebuilt them from transcript headers', { agentId, recovered });
      this.markDirty(agentId);
    }
    return index;
  }
}

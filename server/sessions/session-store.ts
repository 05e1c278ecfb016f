// Session entries per agent in upstream's layout: agents/<agentId>/sessions/sessions.json (key →
// entry) beside one <sessionId>.jsonl transcript each. The index is rewritten atomically; writes
// after a run are coalesced off the hot path, creation and removal are written at once.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { writeFileAtomic } from '../state/atomic-file.js';
import { canonicalSessionKey, parseSessionKey } from './session-key.js';
import { TranscriptFile } from './transcript-file.js';

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

export class SessionStore {
  private readonly indexes = new Map<string, Map<string, StoredSessionEntry>>();
  private readonly dirty = new Set<string>();
  private saveScheduled = false;
  private readonly transcripts = new Map<string, TranscriptFile>();

  constructor(
    private readonly stateDir: string,
    private readonly logger: GatewayLogger,
    private readonly defaultAgentId: () => string,
    private readonly workspaceOf: (agentId: string) => string,
  ) {}

  canonical(key: string): string {
    return canonicalSessionKey(key, this.defaultAgentId());
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
    this.saveNow(agentId);
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
    if (file) {
      this.transcripts.delete(entry.sessionId);
      this.transcripts.set(entry.sessionId, file);
      return file;
    }
    file = new TranscriptFile(this.transcriptPath(agentId, entry), entry.sessionId, this.workspaceOf(agentId));
    this.transcripts.set(entry.sessionId, file);
    if (this.transcripts.size > MAX_CACHED_TRANSCRIPTS) this.transcripts.delete(this.transcripts.keys().next().value!);
    return file;
  }

  /** A fresh transcript under the same key; the old one is renamed `<file>.reset.<ts>`. */
  reset(key: string): { key: string; entry: StoredSessionEntry; archived: string | undefined } | undefined {
    const canonical = this.canonical(key);
    const agentId = this.agentOf(canonical);
    const index = this.index(agentId);
    const old = index.get(canonical);
    if (!old) return undefined;
    const archived = this.archive(agentId, old, 'reset');
    const now = Date.now();
    const sessionId = randomUUID();
    const keep: Partial<StoredSessionEntry> = {};
    for (const field of ['label', 'modelOverride', 'thinkingLevel', 'verboseLevel', 'reasoningLevel', 'fastMode', 'sendPolicy', 'spawnedBy', 'parentSessionKey', 'spawnDepth']) {
      if (old[field] !== undefined) keep[field] = old[field];
    }
    const entry: StoredSessionEntry = { ...keep, sessionId, createdAt: now, updatedAt: now, sessionFile: join(this.sessionsDir(agentId), `${sessionId}.jsonl`) };
    index.set(canonical, entry);
    this.saveNow(agentId);
    return { key: canonical, entry, archived };
  }

  /** Removes the entry; the transcript is archived (`.deleted.<ts>`) or, when asked, deleted. */
  delete(key: string, deleteTranscript: boolean): { deleted: boolean; archived: string[] } {
    const canonical = this.canonical(key);
    const agentId = this.agentOf(canonical);
    const index = this.index(agentId);
    const entry = index.get(canonical);
    if (!entry) return { deleted: false, archived: [] };
    index.delete(canonical);
    this.saveNow(agentId);
    this.transcripts.delete(entry.sessionId);
    const path = this.transcriptPath(agentId, entry);
    if (deleteTranscript) {
      try {
        unlinkSync(path);
      } catch {
        // there was no transcript
      }
      return { deleted: true, archived: [] };
    }
    const archived = this.archive(agentId, entry, 'deleted');
    return { deleted: true, archived: archived ? [archived] : [] };
  }

  private archive(agentId: string, entry: StoredSessionEntry, reason: 'reset' | 'deleted'): string | undefined {
    this.transcripts.delete(entry.sessionId);
    const path = this.transcriptPath(agentId, entry);
    if (!existsSync(path)) return undefined;
    const target = `${path}.${reason}.${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(path, target);
    return target;
  }

  /** Writes every index with pending changes. */
  flush(): void {
    for (const agentId of [...this.dirty]) this.saveNow(agentId);
  }

  private markDirty(agentId: string): void {
    this.dirty.add(agentId);
    if (this.saveScheduled) return;
    this.saveScheduled = true;
    setImmediate(() => {
      this.saveScheduled = false;
      this.flush();
    });
  }

  private saveNow(agentId: string): void {
    this.dirty.delete(agentId);
    const index = this.index(agentId);
    try {
      writeFileAtomic(this.indexPath(agentId), `${JSON.stringify(Object.fromEntries(index), null, 2)}\n`);
    } catch (error) {
      this.logger.error('session index write failed', { agentId, error: (error as Error).message });
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
    return index;
  }
}

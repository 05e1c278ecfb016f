// One session transcript: an append-only JSONL file (server/state/jsonl-file.ts). Appends update the
// in-memory entries at once and reach the disk in order, fdatasynced off the event loop. Reading
// repairs a torn last line (a crash mid-write) by truncating it; a corrupt line elsewhere is skipped.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFileAtomicAsync } from '../state/atomic-file.js';
import { JsonlAppender, readJsonl } from '../state/jsonl-file.js';
import type { CompactionEntry, MessageEntry, SessionHeaderEntry, StoredMessage, TranscriptEntry } from './transcript-types.js';

export const TRANSCRIPT_VERSION = 3;

export interface TranscriptLoadReport {
  /** Bytes cut off the end because the last line was torn. */
  readonly repairedBytes: number;
  readonly skippedLines: number;
}

export const newEntryId = (): string => randomUUID().slice(0, 8);

/** Told of every message appended, with its 1-based position among the transcript's messages. */
export type MessageAppendedListener = (entry: MessageEntry, messageSeq: number) => void;

export class TranscriptFile {
  private entries: TranscriptEntry[] | undefined;
  private lastId: string | null = null;
  private messageCount = 0;
  /** Set by the session store; called synchronously after each appendMessage. */
  onMessageAppended: MessageAppendedListener | undefined;
  private readonly appender: JsonlAppender;
  lastLoad: TranscriptLoadReport = { repairedBytes: 0, skippedLines: 0 };

  constructor(
    readonly path: string,
    readonly sessionId: string,
    private readonly cwd: string,
    onError: (error: Error) => void = () => {},
    /** Written into the header (not upstream, ignored by it) so a lost index entry can be rebuilt. */
    private readonly sessionKey?: string,
  ) {
    this.appender = new JsonlAppender(path, onError);
  }

  /** True when no append is waiting for the disk. */
  get idle(): boolean {
    return this.appender.idle;
  }

  /** Resolves when every append so far is synced to disk. */
  async flush(): Promise<void> {
    await this.appender.flush();
  }

  /** Syncs and closes the file handle (before a rename, rewrite or delete; evicted from the cache). */
  async close(): Promise<void> {
    await this.appender.close();
  }

  exists(): boolean {
    return this.entries !== undefined ? this.entries.length > 0 : existsSync(this.path);
  }

  /** All entries (cached after the first read). */
  load(): readonly TranscriptEntry[] {
    if (this.entries) return this.entries;
    const entries: TranscriptEntry[] = [];
    const report = readJsonl(this.path, (value) => {
      const entry = asEntry(value);
      if (entry) entries.push(entry);
      return entry !== undefined;
    });
    this.lastLoad = { repairedBytes: report.repairedBytes, skippedLines: report.skipped - (report.tail === 'cut' ? 1 : 0) };
    this.entries = entries;
    this.messageCount = countMessages(entries);
    for (let i = entries.length - 1; i >= 0; i--) {
      const id = entries[i]!.id;
      if (typeof id === 'string' && entries[i]!.type !== 'session') {
        this.lastId = id;
        break;
      }
    }
    return entries;
  }

  /** Appends one message; writes the header first when the file is new. Returns the entry. */
  appendMessage(message: StoredMessage, now = Date.now()): MessageEntry {
    this.load(); // parentId chains on from the file's last entry, also for a file object that has not read it yet
    const entry: MessageEntry = { type: 'message', id: newEntryId(), parentId: this.lastId, timestamp: new Date(now).toISOString(), message };
    this.append([entry]);
    this.messageCount++;
    this.onMessageAppended?.(entry, this.messageCount);
    return entry;
  }

  appendCompaction(summary: string, firstKeptEntryId: string | null, tokensBefore: number): CompactionEntry {
    this.load();
    const entry: CompactionEntry = {
      type: 'compaction',
      id: newEntryId(),
      parentId: this.lastId,
      timestamp: new Date().toISOString(),
      summary,
      firstKeptEntryId,
      tokensBefore,
    };
    this.append([entry]);
    return entry;
  }

  /** Writes the header now, so an empty session has a file (sessions.spawn, reset). */
  ensureHeader(): void {
    if (this.load().length === 0) this.append([]);
  }

  private append(newEntries: readonly TranscriptEntry[]): void {
    this.load();
    const entries = this.entries!;
    const lines: TranscriptEntry[] = [];
    if (entries.length === 0) lines.push(this.header());
    lines.push(...newEntries);
    if (lines.length === 0) return;
    entries.push(...lines);
    this.appender.append(lines.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const last = newEntries[newEntries.length - 1];
    if (last && typeof last.id === 'string') this.lastId = last.id;
  }

  /** Replaces the whole file atomically (compaction by line count), after pending appends. */
  async rewrite(entries: readonly TranscriptEntry[]): Promise<void> {
    await this.close();
    const body = entries.map((e) => `${JSON.stringify(e)}\n`).join('');
    await writeFileAtomicAsync(this.path, body, 0o600);
    this.entries = [...entries];
    this.messageCount = countMessages(entries);
    this.lastId = null;
    for (let i = entries.length - 1; i >= 0; i--) {
      const id = entries[i]!.id;
      if (typeof id === 'string' && entries[i]!.type !== 'session') {
        this.lastId = id;
        break;
      }
    }
  }

  header(): SessionHeaderEntry {
    return {
      type: 'session',
      version: TRANSCRIPT_VERSION,
      id: this.sessionId,
      timestamp: new Date().toISOString(),
      cwd: this.cwd,
      ...(this.sessionKey ? { sessionKey: this.sessionKey } : {}),
    };
  }
}

function countMessages(entries: readonly TranscriptEntry[]): number {
  let count = 0;
  for (const entry of entries) if (entry.type === 'message') count++;
  return count;
}

function asEntry(value: unknown): TranscriptEntry | undefined {
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof (value as { type?: unknown }).type === 'string') return value as TranscriptEntry;
  return undefined;
}

// Keeps the SQLite index and upstream's sessions.json in step. Opening: an index that is missing,
// of another version, unreadable, or not in step with sessions.json (edited or replaced since our
// last export: its size/mtime/inode differ) is rebuilt from sessions.json plus orphaned transcripts.
// Exporting: sessions.json is rewritten from the index in pages, one entry per line, atomically.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { sqliteDriver } from '../memory/sqlite-runtime.js';
import { createIndexSchema, fileSignature, INDEX_SCHEMA_VERSION, SessionIndexDb } from './session-index-db.js';
import { MemorySessionIndex } from './session-index-memory.js';
import { recoverOrphanedTranscripts } from './session-recovery.js';
import type { StoredSessionEntry } from './session-store.js';

export const INDEX_FILE = 'sessions.index.sqlite';
/** Rows read per step of an export (the event loop runs between steps). */
const EXPORT_PAGE_ROWS = 5_000;

export interface IndexSyncContext {
  readonly dir: string;
  readonly agentId: string;
  readonly logger: GatewayLogger;
  canonical(key: string): string;
  transcriptPath(entry: StoredSessionEntry): string;
}

const jsonPath = (ctx: IndexSyncContext): string => join(ctx.dir, 'sessions.json');

/** What the store needs of an index: SQLite, or the in-memory one when better-sqlite3 cannot load. */
export type SessionIndex = SessionIndexDb | MemorySessionIndex;

/** The agent's index, in step with its sessions.json (rebuilt from it when it is not). */
export function openSessionIndex(ctx: IndexSyncContext): SessionIndex {
  const driver = sqliteDriver();
  const index = driver.ok ? openSqlite(ctx, driver.Database) : driver.error;
  if (typeof index === 'string') {
    ctx.logger.warn('session index in memory: sessions.json is read whole at start and rewritten as sessions change', { agentId: ctx.agentId, reason: index });
    const memory = new MemorySessionIndex();
    rebuild(ctx, memory, fileSignature(jsonPath(ctx)));
    return memory;
  }
  const signature = fileSignature(jsonPath(ctx));
  if (index.meta('version') !== INDEX_SCHEMA_VERSION || index.meta('source') !== signature) rebuild(ctx, index, signature);
  return index;
}

/** The SQLite index; an unreadable file is replaced by a new one; why it cannot be opened at all (the native module is not built). */
function openSqlite(ctx: IndexSyncContext, Database: NonNullable<Extract<ReturnType<typeof sqliteDriver>, { ok: true }>['Database']>): SessionIndexDb | string {
  const dbPath = join(ctx.dir, INDEX_FILE);
  mkdirSync(ctx.dir, { recursive: true, mode: 0o700 });
  const open = (): SessionIndexDb => {
    const db = new Database(dbPath);
    createIndexSchema(db);
    return new SessionIndexDb(db);
  };
  try {
    return open();
  } catch (error) {
    ctx.logger.warn('session index unreadable; rebuilding it from sessions.json', { path: dbPath, error: (error as Error).message });
  }
  try {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
    const index = open();
    index.setMeta('version', '');
    return index;
  } catch (error) {
    return `better-sqlite3 could not open ${dbPath} (${(error as Error).message.split('\n')[0]}); run \`npm rebuild better-sqlite3\``;
  }
}

function rebuild(ctx: IndexSyncContext, index: SessionIndex, signature: string): void {
  const entries = readSessionsJson(ctx);
  const recovered = recoverOrphanedTranscripts({ dir: ctx.dir, agentId: ctx.agentId, canonical: ctx.canonical, transcriptPath: ctx.transcriptPath }, entries);
  index.replaceAll(entries);
  index.setMeta('version', INDEX_SCHEMA_VERSION);
  // The file may have been renamed away as corrupt: take its signature now.
  index.setMeta('source', existsSync(jsonPath(ctx)) ? signature : 'missing');
  index.setMeta('dirty', recovered > 0 ? '1' : '0');
  index.changesSinceExport = recovered > 0 ? Number.POSITIVE_INFINITY : 0;
  if (recovered > 0) ctx.logger.warn('session index was missing entries; rebuilt them from transcript headers', { agentId: ctx.agentId, recovered });
}

/** sessions.json as a Map (canonical keys, file order); a corrupt file is kept aside and reads as empty. */
function readSessionsJson(ctx: IndexSyncContext): Map<string, StoredSessionEntry> {
  const index = new Map<string, StoredSessionEntry>();
  const path = jsonPath(ctx);
  if (!existsSync(path)) return index;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
        const entry = value as StoredSessionEntry | null;
        if (entry && typeof entry === 'object' && typeof entry.sessionId === 'string') {
          if (typeof entry.updatedAt !== 'number') entry.updatedAt = 0;
          index.set(ctx.canonical(key), entry);
        }
      }
    }
  } catch (error) {
    const backup = `${path}.corrupt.${Date.now()}`;
    ctx.logger.error('session index unreadable; starting empty and keeping a copy', { path, backup, error: (error as Error).message });
    try {
      renameSync(path, backup);
    } catch {
      // keep going with an empty index
    }
  }
  return index;
}

/**
 * Rewrites sessions.json from the index: temp file, fsync, rename. Rows are read in rowid pages
 * between writes; a row changed meanwhile is counted as a change after this export and goes out in
 * the next one.
 */
export async function exportSessionsJson(ctx: IndexSyncContext, index: SessionIndex): Promise<void> {
  const path = jsonPath(ctx);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const startedWith = index.changesSinceExport;
  index.changesSinceExport = 0;
  const handle = await open(tmp, 'w', 0o600);
  try {
    let first = true;
    let after = 0;
    await handle.write('{\n');
    for (;;) {
      const rows = index.rowsAfter(after, EXPORT_PAGE_ROWS);
      if (rows.length === 0) break;
      let chunk = '';
      for (const row of rows) {
        chunk += `${first ? '' : ',\n'}  ${JSON.stringify(row.key)}: ${row.entry}`;
        first = false;
      }
      after = rows[rows.length - 1]!.seq;
      await handle.write(chunk);
    }
    await handle.write(first ? '}\n' : '\n}\n');
    await handle.sync();
    await handle.close();
    await rename(tmp, path);
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    index.changesSinceExport += startedWith;
    throw error;
  }
  index.setMeta('source', fileSignature(path));
  if (index.changesSinceExport === 0) index.setMeta('dirty', '0');
}

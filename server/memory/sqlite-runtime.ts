// Loads the native parts of the memory index on first use, not at gateway start: better-sqlite3
// (built from source by `npm ci`) and the sqlite-vec extension shipped in its npm package. Either
// can be missing; the caller gets a reason to report instead of a crash.
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

export type SqliteDatabase = BetterSqlite3.Database;
type DatabaseConstructor = typeof BetterSqlite3;

const require = createRequire(import.meta.url);

let driver: { ok: true; Database: DatabaseConstructor } | { ok: false; error: string } | undefined;

/** better-sqlite3's constructor, or why it cannot be loaded. */
export function sqliteDriver(): { ok: true; Database: DatabaseConstructor } | { ok: false; error: string } {
  if (!driver) {
    try {
      driver = { ok: true, Database: require('better-sqlite3') as DatabaseConstructor };
    } catch (error) {
      driver = { ok: false, error: `better-sqlite3 could not be loaded (${(error as Error).message.split('\n')[0]}); run \`npm rebuild better-sqlite3\` (it needs python3, make and g++)` };
    }
  }
  return driver;
}

export interface VectorExtension {
  readonly loaded: boolean;
  readonly version?: string;
  readonly error?: string;
}

/** Loads sqlite-vec into `db` (from `extensionPath` when given) and reads `vec_version()`. */
export function loadVectorExtension(db: SqliteDatabase, extensionPath: string | undefined): VectorExtension {
  try {
    if (extensionPath) db.loadExtension(extensionPath);
    else (require('sqlite-vec') as { load(db: SqliteDatabase): void }).load(db);
    const row = db.prepare('select vec_version() as version').get() as { version?: unknown } | undefined;
    return { loaded: true, version: typeof row?.version === 'string' ? row.version : 'unknown' };
  } catch (error) {
    return { loaded: false, error: `sqlite-vec not loaded (${(error as Error).message.split('\n')[0]}); vectors are ranked in process` };
  }
}

// kill -9 while a child process is indexing: the index file stays a usable database holding the
// batches committed so far, the next sync finishes the job, and searches are right afterwards.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteDriver } from '../../server/memory/sqlite-runtime.js';
import { makeMemoryWorkspace, notePath, noteWord, openTestIndex } from './memory-workspace.js';

const NOTES = 3000;
const workspace = makeMemoryWorkspace(NOTES);
const dbPath = join(workspace, '.index', 'main.sqlite');
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

function indexedFiles(): number {
  const driver = sqliteDriver();
  if (!driver.ok) throw new Error(driver.error);
  try {
    const db = new driver.Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM files').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created yet, or its schema is still being written
  }
}

describe('memory index crash', () => {
  it('survives kill -9 in the middle of indexing', { timeout: 180_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'index-child.ts'), workspace, dbPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    // Kill as soon as some batches are committed and the rest are not.
    await expect.poll(() => indexedFiles(), { timeout: 120_000, interval: 5 }).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await exited;
    expect(output).not.toContain('done');
    const atKill = indexedFiles();
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(NOTES + 1);

    const driver = sqliteDriver();
    if (!driver.ok) throw new Error(driver.error);
    const db = new driver.Database(dbPath);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    const index = openTestIndex({ workspace, dbPath, settings: { sync: { watch: false } } });
    try {
      // Usable before catching up: what was committed is searchable, and the status says it is behind.
      expect(index.status()).toMatchObject({ dirty: true });
      const signal = new AbortController().signal;
      const result = await index.search(noteWord(NOTES - 1), {}, signal);
      expect(result.results.map((r) => r.path)).toEqual([notePath(NOTES - 1)]);
      expect(index.status()).toMatchObject({ files: NOTES + 1, dirty: false });
      expect((await index.search(noteWord(0), {}, signal)).results.map((r) => r.path)).toEqual([notePath(0)]);
    } finally {
      await index.close();
    }
  });
});

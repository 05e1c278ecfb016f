// The default (state-dir file) implementations of the store seams subsystems keep their state behind.
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fileDocumentStore } from '../../server/state/document-store.js';
import { fileRecordLog } from '../../server/state/record-log.js';

const dir = mkdtempSync(join(tmpdir(), 'openclaw-stores-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const Doc = z.strictObject({ version: z.literal(1), items: z.array(z.string()) });

describe('fileDocumentStore', () => {
  it('missing, saved (mode 0600, atomic), loaded back', () => {
    const store = fileDocumentStore(join(dir, 'a', 'doc.json'), Doc);
    expect(store.load()).toEqual({ state: 'missing' });
    store.save({ version: 1, items: ['x'] });
    expect(store.load()).toEqual({ state: 'ok', value: { version: 1, items: ['x'] } });
    expect(statSync(store.location).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'a'))).toEqual(['doc.json']);
  });

  it('an invalid file is reported with the reason, and moved aside when asked', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{"version": 2, "items": []}');
    expect(fileDocumentStore(path, Doc).load()).toMatchObject({ state: 'invalid', reason: expect.stringMatching(/version/) });
    writeFileSync(path, '{not json');
    const quarantined = fileDocumentStore(path, Doc, { quarantineInvalid: true }).load();
    expect(quarantined).toMatchObject({ state: 'invalid', reason: expect.stringMatching(/not valid JSON/) });
    expect(existsSync(path)).toBe(false);
    expect(readFileSync((quarantined as { movedTo: string }).movedTo, 'utf8')).toBe('{not json');
  });
});

describe('fileRecordLog', () => {
  it('appends records and reads the newest back, skipping a torn last line', async () => {
    const path = join(dir, 'runs', 'job.jsonl');
    const log = fileRecordLog<{ n: number }>(path);
    for (let n = 1; n <= 5; n++) log.append({ n });
    await log.flush();
    appendFileSync(path, '{"n": 6');
    expect(log.tail(3)).toEqual([{ n: 3 }, { n: 4 }, { n: 5 }]);
    expect(log.tail(100)).toHaveLength(5);
    await log.close();
  });

  it('a record appended after a torn last line (a crash mid-write, then a new process) is not glued to it', async () => {
    const path = join(dir, 'runs', 'after-crash.jsonl');
    writeFileSync(path, '{"n": 1}\n{"n": 2');
    const log = fileRecordLog<{ n: number }>(path);
    log.append({ n: 3 });
    await log.flush();
    expect(log.tail(10)).toEqual([{ n: 1 }, { n: 3 }]);
    // The torn line stays as a corrupt line of its own (skipped on read); the new record is whole.
    expect(readFileSync(path, 'utf8')).toBe('{"n": 1}\n{"n": 2\n{"n":3}\n');
    await log.close();
  });

  it('prunes the oldest records once the file passes maxBytes', async () => {
    const path = join(dir, 'pruned.jsonl');
    const log = fileRecordLog<{ n: number; pad: string }>(path, { maxBytes: 4096 });
    for (let n = 1; n <= 400; n++) log.append({ n, pad: 'x'.repeat(40) });
    await log.flush();
    expect(statSync(path).size).toBeLessThanOrEqual(4096);
    const kept = log.tail(1000);
    expect(kept.at(-1)!.n).toBe(400);
    expect(kept.map((r) => r.n)).toEqual(kept.map((_, i) => kept[0]!.n + i));
    await log.close();
  });
});

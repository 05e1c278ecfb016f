// The one JSONL module under transcripts, the usage ledger, record logs and the idempotency store:
// chunked reads with lines split anywhere, bounded lines, torn-tail repair, and appends that never
// continue a torn line.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonlAppender, readJsonl } from '../../server/state/jsonl-file.js';

const dir = mkdtempSync(join(tmpdir(), 'openclaw-jsonl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const collect = (path: string, options?: Parameters<typeof readJsonl>[2]) => {
  const values: unknown[] = [];
  const report = readJsonl(path, (v) => (typeof v === 'object' && v !== null ? (values.push(v), true) : false), options);
  return { values, report };
};

describe('readJsonl', () => {
  it('reads lines split across every chunk boundary, skipping blank, corrupt and refused lines', () => {
    const path = join(dir, 'split.jsonl');
    const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ i, pad: 'é'.repeat(i % 7) }));
    writeFileSync(path, `${lines.join('\n')}\n\n  \nnot json\n42\n`);
    const { values, report } = collect(path, { chunkBytes: 7 });
    expect(values).toEqual(lines.map((l) => JSON.parse(l)));
    expect(report).toEqual({ records: 50, skipped: 2, tail: 'none', repairedBytes: 0 });
  });

  it('skips a line over maxLineBytes without holding it, and reads on after it', () => {
    const path = join(dir, 'long.jsonl');
    writeFileSync(path, `{"a":1}\n{"pad":"${'x'.repeat(5000)}"}\n{"b":2}\n`);
    const { values, report } = collect(path, { maxLineBytes: 1000, chunkBytes: 64 });
    expect(values).toEqual([{ a: 1 }, { b: 2 }]);
    expect(report.skipped).toBe(1);
  });

  it('cuts a torn last line off, and ends a whole one with its newline', () => {
    const torn = join(dir, 'torn.jsonl');
    writeFileSync(torn, '{"a":1}\n{"b":');
    expect(collect(torn).report).toMatchObject({ records: 1, tail: 'cut', repairedBytes: 5 });
    expect(readFileSync(torn, 'utf8')).toBe('{"a":1}\n');
    const whole = join(dir, 'whole.jsonl');
    writeFileSync(whole, '{"a":1}\n{"b":2}');
    expect(collect(whole).report).toMatchObject({ records: 2, tail: 'completed' });
    expect(readFileSync(whole, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
  });

  it('with repair off, reads the whole tail record and changes nothing', () => {
    const path = join(dir, 'readonly.jsonl');
    writeFileSync(path, '{"a":1}\n{"b":');
    expect(collect(path, { repair: false }).report).toMatchObject({ records: 1, tail: 'unrepaired' });
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n{"b":');
  });

  it('a missing file reads as empty', () => {
    expect(collect(join(dir, 'nope.jsonl')).report).toEqual({ records: 0, skipped: 0, tail: 'none', repairedBytes: 0 });
  });
});

describe('JsonlAppender', () => {
  it('starts on a fresh line when the file ends in a torn line, and syncs in the background', async () => {
    const path = join(dir, 'append.jsonl');
    writeFileSync(path, '{"a":1}\n{"torn":');
    const errors: Error[] = [];
    const appender = new JsonlAppender(path, (e) => errors.push(e));
    appender.append('{"b":2}\n');
    appender.append('{"c":3}\n');
    expect(appender.idle).toBe(false);
    await appender.flush();
    expect(appender.idle).toBe(true);
    await appender.close();
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n{"torn":\n{"b":2}\n{"c":3}\n');
    expect(collect(path).values).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
    expect(errors).toEqual([]);
  });
});

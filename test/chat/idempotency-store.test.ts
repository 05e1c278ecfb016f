// The file store behind durable idempotency keys: one append per accepted key and per outcome,
// expired keys dropped when the file is compacted, live ones (and unfinished runs) kept.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileIdempotencyStore, type IdempotencyEntry } from '../../server/chat/idempotency-store.js';
import type { AgentRunResult } from '../../server/chat/run-types.js';

const dir = mkdtempSync(join(tmpdir(), 'openclaw-idem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entry = (key: string, sessionKey = 'agent:main:main'): IdempotencyEntry => ({
  key,
  sessionKey,
  owner: '',
  runId: key,
  agentId: 'main',
  sessionId: 's1',
  model: 'offline/echo',
  acceptedAt: 1000,
});
const result = (runId: string): AgentRunResult => ({
  runId,
  agentId: 'main',
  sessionKey: 'agent:main:main',
  sessionId: 's1',
  status: 'ok',
  text: `reply to ${runId}`,
  stopReason: 'stop',
  pendingToolCalls: [],
  usage: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0, totalTokens: 2 },
  model: 'offline/echo',
  startedAt: 1000,
  endedAt: 2000,
});

describe('fileIdempotencyStore', () => {
  it('appends a line per accept and per outcome; a new store loads the latest state of each live key', async () => {
    const path = join(dir, 'a', 'keys.jsonl');
    const store = fileIdempotencyStore(path);
    expect(store.load(0)).toEqual([]);
    store.accepted(entry('k1'));
    store.accepted(entry('k2'));
    store.accepted(entry('k1', 'agent:main:other'));
    store.finished({ ...entry('k1'), result: result('k1'), expiresAt: 10_000 });
    await store.close();
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(4);

    const loaded = fileIdempotencyStore(path).load(5_000);
    expect(loaded.map((e) => [e.key, e.sessionKey, e.result?.text])).toEqual([
      ['k1', 'agent:main:main', 'reply to k1'],
      ['k2', 'agent:main:main', undefined],
      ['k1', 'agent:main:other', undefined],
    ]);
    // Loading compacted the file to one line per live key.
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(3);
    // Past its window the outcome is gone; the unfinished ones stay until their run is settled.
    expect(fileIdempotencyStore(path).load(20_000).map((e) => e.key)).toEqual(['k2', 'k1']);
  });

  it('compacts while appending once past its bound, keeping the live keys', async () => {
    const path = join(dir, 'bounded.jsonl');
    let now = 0;
    const store = fileIdempotencyStore(path, { compactAfterBytes: 20_000, now: () => now });
    for (let i = 0; i < 400; i++) {
      now = i * 1000;
      store.accepted(entry(`k${i}`));
      store.finished({ ...entry(`k${i}`), result: result(`k${i}`), expiresAt: now + 30_000 });
    }
    await store.close();
    expect(statSync(path).size).toBeLessThan(60_000);
    const live = fileIdempotencyStore(path).load(now).map((e) => e.key);
    // Every key still inside its 30 s window survived the compactions.
    for (let i = 371; i < 400; i++) expect(live).toContain(`k${i}`);
    expect(live).not.toContain('k0');
  });
});

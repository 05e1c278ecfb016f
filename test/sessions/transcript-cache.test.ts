// The session store keeps the 64 most recently used transcripts parsed (lru-cache); one evicted
// while it still had a sync pending is closed, and the next reader sees every message it appended.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GatewayLogger } from '../../server/logs/gateway-logger.js';
import { SessionStore } from '../../server/sessions/session-store.js';

const dir = mkdtempSync(join(tmpdir(), 'openclaw-transcripts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const silent = { debug() {}, info() {}, warn() {}, error() {} } as unknown as GatewayLogger;

describe('transcript cache', () => {
  it('evicts the least recently used beyond 64 without losing or reordering a message', async () => {
    const store = new SessionStore(dir, silent, { defaultAgentId: () => 'main', mainKey: () => 'main' }, () => dir);
    const keys = Array.from({ length: 80 }, (_, i) => `agent:main:s${i}`);
    const first = store.transcript(store.ensure(keys[0]!).key)!;
    first.appendMessage({ role: 'user', content: [{ type: 'text', text: 'one' }], timestamp: 1 });
    for (const key of keys.slice(1)) {
      store.ensure(key);
      store.transcript(key)!.appendMessage({ role: 'user', content: [{ type: 'text', text: key }], timestamp: 1 });
    }
    // s0 was evicted (80 > 64): a fresh file object reads what the first one wrote, and chains on from it.
    const again = store.transcript(keys[0]!)!;
    expect(again).not.toBe(first);
    again.appendMessage({ role: 'assistant', content: [{ type: 'text', text: 'two' }], timestamp: 2 });
    await store.flush();
    const reread = new SessionStore(dir, silent, { defaultAgentId: () => 'main', mainKey: () => 'main' }, () => dir);
    const entries = reread.transcript(keys[0]!)!.load().filter((e) => e.type === 'message') as unknown as { id: string; parentId: string | null; message: { content: { text: string }[] } }[];
    expect(entries.map((e) => e.message.content[0]!.text)).toEqual(['one', 'two']);
    expect(entries[1]!.parentId).toBe(entries[0]!.id);
    // The most recently used stay cached.
    expect(store.transcript(keys[79]!)).toBe(store.transcript(keys[79]!));
    await reread.flush();
  });
});

import { describe, expect, it } from 'vitest';
import { ResponseStore } from '../../server/http/response-store.js';

const entry = (text: string) => ({ agentId: 'main', sessionKey: 'agent:main:x', context: [{ role: 'user' as const, content: text }] });

describe('ResponseStore', () => {
  it('keeps the newest entries within the count and size limits', () => {
    const store = new ResponseStore({ maxEntries: 2, maxChars: 10, ttlMs: 60_000 });
    store.put('a', entry('1234'));
    store.put('b', entry('1234'));
    store.put('c', entry('1234'));
    expect([store.get('a'), store.get('b')?.agentId, store.get('c')?.agentId]).toEqual([undefined, 'main', 'main']);
    store.put('d', entry('123456789'));
    expect(store.size).toBe(1);
    expect(store.get('d')?.context).toEqual([{ role: 'user', content: '123456789' }]);
    store.put('huge', entry('x'.repeat(11)));
    expect(store.get('huge')).toBeUndefined();
  });

  it('forgets entries older than the TTL', () => {
    let now = 1_000;
    const store = new ResponseStore({ maxEntries: 10, maxChars: 1000, ttlMs: 100 }, () => now);
    store.put('a', entry('x'));
    now = 1_050;
    expect(store.get('a')).toBeDefined();
    now = 1_101;
    expect(store.get('a')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('limits read on every call: a reload that lowers them applies at once, keeping the most recent', () => {
    let limits = { maxEntries: 10, maxChars: 1000, ttlMs: 60_000 };
    const store = new ResponseStore(() => limits);
    for (const id of ['a', 'b', 'c', 'd']) store.put(id, entry(id));
    store.get('a'); // now the most recently used
    limits = { maxEntries: 2, maxChars: 1000, ttlMs: 60_000 };
    expect(store.size).toBe(2);
    expect(['a', 'b', 'c', 'd'].filter((id) => store.get(id))).toEqual(['a', 'd']);
    limits = { maxEntries: 0, maxChars: 1000, ttlMs: 60_000 };
    store.put('e', entry('e'));
    expect(store.get('e')).toBeUndefined();
  });
});

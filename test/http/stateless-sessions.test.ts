import { describe, expect, it } from 'vitest';
import { DEFAULT_OPENAI_ENDPOINT_SETTINGS, openAiEndpointSettings } from '../../server/http/openai-endpoint-settings.js';
import { StatelessSessions, type StatelessSessionHost } from '../../server/http/stateless-sessions.js';
import { statelessBucketKey, statelessSessionKind } from '../../server/sessions/stateless-session-key.js';
import type { GatewayLogger } from '../../server/logs/gateway-logger.js';
import type { OpenClawConfig } from '../../contract/schemas/config.js';

const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const chatKey = (n: number): string => `agent:main:openai:${uuid(n)}`;

const silent = { debug() {}, info() {}, warn() {}, error() {} } as unknown as GatewayLogger;

class FakeHost implements StatelessSessionHost {
  readonly sessions = new Map<string, number>();
  readonly active = new Set<string>();
  readonly busyOnDelete = new Set<string>();
  listSessions() {
    return [...this.sessions].map(([key, updatedAt]) => ({ key, updatedAt }));
  }
  isActive(key: string) {
    return this.active.has(key);
  }
  async deleteSession(key: string) {
    if (this.busyOnDelete.has(key)) throw new Error('SESSION_BUSY');
    this.sessions.delete(key);
  }
}

function setup(limits = { maxEntries: 2, ttlMs: 1000 }) {
  let now = 10_000;
  const host = new FakeHost();
  const retention = new StatelessSessions(host, () => limits, silent, () => now);
  const use = (key: string): void => {
    host.sessions.set(key, now);
    retention.touch(key);
  };
  return { host, retention, use, advance: (ms: number) => (now += ms) };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('statelessSessionKind', () => {
  it('knows only the keys the OpenAI layer generates', () => {
    expect(statelessSessionKind(chatKey(1))).toBe('openai');
    expect(statelessSessionKind(`agent:ops:openresponses:${uuid(2)}`)).toBe('openresponses');
    expect(statelessSessionKind('agent:main:openai-user:bob')).toBeUndefined();
    expect(statelessSessionKind('agent:main:main')).toBeUndefined();
    expect(statelessSessionKind('agent:main:openai:not-a-uuid')).toBeUndefined();
  });
});

describe('statelessBucketKey', () => {
  it('folds stateless keys into one per agent and kind, and leaves others alone', () => {
    expect(statelessBucketKey(chatKey(1))).toBe('agent:main:openai:*');
    expect(statelessBucketKey(`agent:ops:openresponses:${uuid(2)}`)).toBe('agent:ops:openresponses:*');
    expect(statelessBucketKey('agent:main:openai-user:bob')).toBe('agent:main:openai-user:bob');
  });
});

describe('StatelessSessions', () => {
  it('a backlog from an earlier process is deleted in batches of at most 32 at a time, all of it in the end', async () => {
    const host = new FakeHost();
    for (let i = 0; i < 200; i++) host.sessions.set(chatKey(i), 1_000 + i);
    let inFlight = 0;
    let peak = 0;
    const deleteOne = host.deleteSession.bind(host);
    host.deleteSession = async (key: string) => {
      peak = Math.max(peak, ++inFlight);
      await settle();
      inFlight--;
      return deleteOne(key);
    };
    const retention = new StatelessSessions(host, () => ({ maxEntries: 10, ttlMs: 1e9 }), silent, () => 10_000);
    retention.prune('openai');
    for (let i = 0; i < 100 && host.sessions.size > 10; i++) await settle();
    expect(peak).toBeLessThanOrEqual(32);
    expect(host.sessions.size).toBe(10);
    // The ten most recently used are the ones kept.
    expect([...host.sessions.keys()].sort()).toEqual(Array.from({ length: 10 }, (_, i) => chatKey(190 + i)).sort());
  });

  it('a refused delete is not retried in a loop: it waits for the next pass', async () => {
    const { host, retention, use } = setup({ maxEntries: 0, ttlMs: 1000 });
    let attempts = 0;
    const deleteOne = host.deleteSession.bind(host);
    host.deleteSession = async (key: string) => {
      attempts++;
      host.busyOnDelete.add(key);
      return deleteOne(key);
    };
    use(chatKey(1));
    for (let i = 0; i < 20; i++) await settle();
    expect(attempts).toBe(1);
    retention.prune('openai');
    for (let i = 0; i < 20; i++) await settle();
    expect(attempts).toBe(2);
  });

  it('keeps the most recently used maxEntries; using a session again makes it newest', async () => {
    const { host, retention, use, advance } = setup();
    use(chatKey(1));
    advance(1);
    use(chatKey(2));
    advance(1);
    use(chatKey(1));
    advance(1);
    use(chatKey(3));
    await settle();
    expect([...host.sessions.keys()].sort()).toEqual([chatKey(1), chatKey(3)]);
    expect(retention.count('openai')).toBe(2);
  });

  it('prunes sessions older than the TTL, on use or on a timed pass', async () => {
    const { host, retention, use, advance } = setup({ maxEntries: 10, ttlMs: 1000 });
    use(chatKey(1));
    advance(600);
    use(chatKey(2));
    advance(600);
    retention.prune('openai');
    await settle();
    expect([...host.sessions.keys()]).toEqual([chatKey(2)]);
  });

  it('ignores named sessions and never deletes one with a run going; that one goes on a later pass', async () => {
    const { host, retention, use, advance } = setup({ maxEntries: 1, ttlMs: 60_000 });
    host.sessions.set('agent:main:openai-user:bob', 0);
    retention.touch('agent:main:openai-user:bob');
    // As in the gateway, a run's session is still busy when its run reports the end.
    host.active.add(chatKey(1));
    use(chatKey(1));
    advance(1);
    host.active.add(chatKey(2));
    use(chatKey(2));
    await settle();
    expect([...host.sessions.keys()].sort()).toEqual(['agent:main:openai-user:bob', chatKey(1), chatKey(2)]);
    host.active.clear();
    retention.prune('openai');
    await settle();
    expect([...host.sessions.keys()].sort()).toEqual(['agent:main:openai-user:bob', chatKey(2)]);
  });

  it('a delete refused because the session became busy is retried on the next pass', async () => {
    const { host, retention, use, advance } = setup({ maxEntries: 1, ttlMs: 60_000 });
    use(chatKey(1));
    host.busyOnDelete.add(chatKey(1));
    advance(1);
    use(chatKey(2));
    await settle();
    expect(host.sessions.has(chatKey(1))).toBe(true);
    host.busyOnDelete.delete(chatKey(1));
    retention.prune('openai');
    await settle();
    expect([...host.sessions.keys()]).toEqual([chatKey(2)]);
  });

  it('finds the stateless sessions a previous process left and prunes them per kind', async () => {
    const { host, retention, advance } = setup({ maxEntries: 1, ttlMs: 60_000 });
    host.sessions.set(chatKey(1), 1);
    host.sessions.set(chatKey(2), 2);
    host.sessions.set(`agent:main:openresponses:${uuid(3)}`, 3);
    host.sessions.set('agent:main:main', 0);
    advance(1);
    retention.prune('openai');
    retention.prune('openresponses');
    await settle();
    expect([...host.sessions.keys()].sort()).toEqual(['agent:main:main', chatKey(2), `agent:main:openresponses:${uuid(3)}`]);
  });
});

describe('openAiEndpointSettings', () => {
  it('reads the endpoint keys, falling back to defaults for missing or mistyped values', () => {
    const config = {
      gateway: {
        http: {
          endpoints: {
            chatCompletions: { maxImageParts: 2, maxTotalImageBytes: 'lots', images: { maxBytes: 100, allowedMimes: ['IMAGE/PNG'] }, statelessSessions: { maxEntries: 5, ttlSeconds: 60 } },
            responses: { maxUrlParts: 3, images: { allowUrl: false, urlAllowlist: ['IMG.example.com'] }, files: { allowUrl: 'yes', maxChars: 10, urlAllowlist: ['Files.Example.com'], timeoutMs: -1 } },
          },
        },
      },
    } as unknown as OpenClawConfig;
    const chat = openAiEndpointSettings(config, 'chatCompletions');
    expect(chat.images).toEqual({ maxParts: 2, maxTotalBytes: 20 * 1024 * 1024, maxBytesPerImage: 100, allowedMimes: ['image/png'], allowUrl: false, urlAllowlist: [] });
    expect(chat.statelessSessions).toEqual({ maxEntries: 5, ttlMs: 60_000 });
    const responses = openAiEndpointSettings(config, 'responses');
    expect(responses.storedResponses).toEqual({ maxEntries: 1000, ttlMs: 6 * 60 * 60 * 1000 });
    expect(responses.maxUrlParts).toBe(3);
    expect(responses.images).toMatchObject({ allowUrl: false, urlAllowlist: ['img.example.com'] });
    expect(responses.files).toEqual({ ...DEFAULT_OPENAI_ENDPOINT_SETTINGS.files, maxChars: 10, urlAllowlist: ['files.example.com'] });
    // Upstream's defaults: image URLs refused on Chat Completions, allowed on Responses.
    expect(openAiEndpointSettings({} as OpenClawConfig, 'chatCompletions').images.allowUrl).toBe(false);
    expect(openAiEndpointSettings({} as OpenClawConfig, 'responses').images.allowUrl).toBe(true);
    expect(openAiEndpointSettings(config, 'chatCompletions')).toBe(chat);
  });
});

// `openclaw sessions` and `openclaw config` against a real gateway process: tables and JSON, the
// redacted config, writes validated by the gateway, and baseHash handled (no update is lost when
// two writers race).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startCli, TEST_CONFIG, TEST_TOKEN, type RunningGateway } from '../helpers/gateway-targets.js';
import { jsonOf, runCli } from '../helpers/cli-runner.js';

let upstream: FakeOpenAiServer;
let gw: RunningGateway;
const cli = (args: string[], input?: string) => runCli(args, { stateDir: gw.stateDir, ...(input !== undefined ? { input } : {}) });
const configFile = (): Record<string, any> => JSON.parse(readFileSync(join(gw.stateDir, 'openclaw.json'), 'utf8'));

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  upstream.setDefault((req) => ({ text: `reply to ${String(req.body.messages?.at(-1)?.content)}` }));
  gw = await startCli({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl) });
}, 60_000);
afterAll(async () => {
  await gw?.stop();
  await upstream?.close();
});

describe('openclaw sessions', () => {
  it('list (also the default), show, reset and delete', async () => {
    const turn = await cli(['agent', '--session-key', 'agent:main:cli-sessions', '--message', 'remember the tea']);
    expect(turn.code, turn.stderr).toBe(0);

    for (const args of [['sessions'], ['sessions', 'list']]) {
      const table = await cli(args);
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout).toMatch(/^KEY\s+KIND\s+UPDATED\s+MODEL\s+TOKENS\s+TITLE$/m);
      expect(table.stdout).toMatch(/^agent:main:cli-sessions\s+direct\s+(just now|\d+s ago)\s+fake-model\s+\d+/m);
    }
    const listed = jsonOf(await cli(['sessions', '--json', '--search', 'cli-sessions']));
    expect(listed.sessions.map((s: { key: string }) => s.key)).toEqual(['agent:main:cli-sessions']);

    const show = await cli(['sessions', 'show', 'agent:main:cli-sessions']);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^you · .*\nremember the tea\n\nassistant · .*\nreply to remember the tea\n/m);
    expect(jsonOf(await cli(['sessions', 'show', 'agent:main:cli-sessions', '--json'])).messages).toHaveLength(2);

    const reset = await cli(['sessions', 'reset', 'agent:main:cli-sessions']);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toMatch(/^reset agent:main:cli-sessions: new transcript \S+\n$/);
    expect(jsonOf(await cli(['sessions', 'show', 'agent:main:cli-sessions', '--json'])).messages).toHaveLength(0);

    const deleted = jsonOf(await cli(['sessions', 'delete', 'agent:main:cli-sessions', '--json']));
    expect(deleted).toMatchObject({ ok: true, key: 'agent:main:cli-sessions', deleted: true });
    expect(jsonOf(await cli(['sessions', '--json', '--search', 'cli-sessions'])).sessions).toEqual([]);
  });

  it('usage errors exit 2; an unknown session is a gateway error (exit 1)', async () => {
    const noKey = await cli(['sessions', 'show']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/name the session key.*"openclaw sessions show --help"/);
    const badLimit = await cli(['sessions', 'list', '--limit', '0']);
    expect(badLimit.code).toBe(2);
    const missing = await cli(['sessions', 'reset', 'agent:main:never-was']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/SESSION_NOT_FOUND/);
  });
});

describe('openclaw config', () => {
  it('get shows the file as written with secrets redacted, never the token', async () => {
    const all = await cli(['config', 'get']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).not.toContain(TEST_TOKEN);
    expect(JSON.parse(all.stdout)).toMatchObject({ gateway: { auth: { token: '__OPENCLAW_REDACTED__' } } });
    const one = await cli(['config', 'get', 'models.providers.fake.models[0].id']);
    expect(one.stdout).toBe('fake-model\n');
    expect(jsonOf(await cli(['config', 'get', 'gateway.auth.failureDelayMs', '--json']))).toBe(20);
    const unset = await cli(['config', 'get', 'gateway.nothing.here']);
    expect(unset.code).toBe(1);
    expect(unset.stderr).toMatch(/gateway\.nothing\.here is not set in /);
  });

  it('set reads values as JSON5, writes through the gateway and keeps the secrets', async () => {
    const set = await cli(['config', 'set', 'gateway.auth.rateLimit.maxAttempts', '7']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/^ok set gateway\.auth\.rateLimit\.maxAttempts = 7 in \S+openclaw\.json\n$/);
    expect(configFile().gateway.auth).toMatchObject({ token: TEST_TOKEN, rateLimit: { maxAttempts: 7 } });
    // A word that is not JSON5 is a string; --json (upstream's flag) insists on JSON5 and prints JSON.
    const word = await cli(['config', 'set', 'agents.defaults.thinkingDefault', 'low']);
    expect(word.stdout).toMatch(/set agents\.defaults\.thinkingDefault = "low"/);
    const quoted = await cli(['config', 'set', 'agents.defaults.thinkingDefault', '"high"', '--json']);
    expect(quoted.code, quoted.stderr).toBe(0);
    expect(jsonOf(quoted)).toMatchObject({ ok: true, config: { agents: { defaults: { thinkingDefault: 'high' } } } });

    const strict = await cli(['config', 'set', 'gateway.auth.rateLimit.maxAttempts', 'seven', '--json']);
    expect(strict.code).toBe(2);
    const invalid = await cli(['config', 'set', 'gateway.port', 'not-a-port']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/gateway\.port: .*\[INVALID_REQUEST\/CONFIG_INVALID\]/);
    expect(configFile().gateway.port).toBeUndefined();
  });

  it('a restart-only key says so', async () => {
    const port = await cli(['config', 'set', 'gateway.port', '18999']);
    expect(port.code, port.stderr).toBe(0);
    expect(port.stderr).toMatch(/restart the gateway for gateway\.port to take effect/);
    const unset = await cli(['config', 'unset', 'gateway.port']);
    expect(unset.stdout).toMatch(/^ok removed gateway\.port/);
    const again = await cli(['config', 'unset', 'gateway.port']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/gateway\.port was not set; nothing to remove/);
  });

  it('patch takes a merge patch as an argument or on stdin', async () => {
    const arg = await cli(['config', 'patch', '{gateway: {auth: {rateLimit: {windowMs: 120000}}}}']);
    expect(arg.code, arg.stderr).toBe(0);
    expect(arg.stdout).toMatch(/^ok patched gateway in /);
    const stdin = await cli(['config', 'patch', '--stdin', '--json'], '{"gateway": {"auth": {"rateLimit": {"windowMs": null}}}}');
    expect(jsonOf(stdin)).toMatchObject({ ok: true });
    expect(configFile().gateway.auth.rateLimit).toEqual({ maxAttempts: 7, lockoutMs: 60_000 });
    const both = await cli(['config', 'patch', '{}', '--stdin'], '{}');
    expect(both.code).toBe(2);
    const notObject = await cli(['config', 'patch', '[1,2]']);
    expect(notObject.code).toBe(2);
  });

  it('two writers at once: the one whose baseHash went stale re-reads and retries, so neither change is lost', async () => {
    const results = await Promise.all([
      cli(['config', 'set', 'agents.defaults.timeoutSeconds', '321']),
      cli(['config', 'set', 'gateway.auth.failureDelayMs', '25']),
      cli(['config', 'patch', '{session: {dmScope: "per-peer"}}']),
    ]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const file = configFile();
    expect(file.agents.defaults.timeoutSeconds).toBe(321);
    expect(file.gateway.auth.failureDelayMs).toBe(25);
    expect(file.session.dmScope).toBe('per-peer');
  });
});

// The CLI's pure parts: which gateway and credentials a command picks, aligned tables, relative
// times, colour decisions, config paths and cron schedule flags.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../../server/cli/cli-error.js';
import { resolveGatewayTarget } from '../../server/cli/client/gateway-target.js';
import { relativeTime, shortDuration } from '../../server/cli/client/relative-time.js';
import { colorEnabled, colorsFor } from '../../server/cli/client/terminal-style.js';
import { formatTable, truncateCell } from '../../server/cli/client/text-table.js';
import { formatConfigPath, getAtPath, parseConfigPath, withValueAtPath } from '../../server/cli/commands/config-path.js';
import { cronAddParams } from '../../server/cli/commands/cron-add-command.js';
import { atTime, durationMs, scheduleFromFlags } from '../../server/cli/commands/cron-schedule.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function stateDir(config?: unknown, lock?: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'openclaw-cli-target-'));
  dirs.push(dir);
  if (config !== undefined) writeFileSync(join(dir, 'openclaw.json'), typeof config === 'string' ? config : JSON.stringify(config));
  if (lock !== undefined) writeFileSync(join(dir, 'gateway.lock'), JSON.stringify(lock));
  return dir;
}

describe('which gateway, which credentials', () => {
  const config = { gateway: { port: 19999, auth: { token: 'config-token' } } };

  it('on the gateway machine nothing is needed: the running gateway\'s lock gives the port, the config the token', () => {
    const dir = stateDir(config, { pid: process.pid, startedAt: Date.now(), port: 23456, host: '127.0.0.1' });
    const t = resolveGatewayTarget({}, { OPENCLAW_STATE_DIR: dir });
    expect(t).toMatchObject({ url: 'ws://127.0.0.1:23456/ws', urlSource: 'lock', token: 'config-token' });
    expect(t.authSource).toContain('gateway.auth.token in');
  });

  it('a stale lock (its process is gone) is ignored for the configured port; without one the default port', () => {
    const dir = stateDir(config, { pid: 2 ** 22 + 12345, startedAt: 1, port: 23456 });
    expect(resolveGatewayTarget({}, { OPENCLAW_STATE_DIR: dir })).toMatchObject({ url: 'ws://127.0.0.1:19999/ws', urlSource: 'config' });
    expect(resolveGatewayTarget({}, { OPENCLAW_STATE_DIR: stateDir() })).toMatchObject({ url: 'ws://127.0.0.1:18789/ws', urlSource: 'default', token: undefined });
  });

  it('flags beat the environment, which beats the config; OPENCLAW_AUTH_TOKEN works as the seed names it', () => {
    const dir = stateDir(config);
    const env = { OPENCLAW_STATE_DIR: dir, OPENCLAW_GATEWAY_TOKEN: 'env-token' };
    expect(resolveGatewayTarget({}, env)).toMatchObject({ token: 'env-token', authSource: 'OPENCLAW_GATEWAY_TOKEN' });
    expect(resolveGatewayTarget({ token: 'flag-token' }, env)).toMatchObject({ token: 'flag-token', authSource: '--token' });
    expect(resolveGatewayTarget({}, { OPENCLAW_STATE_DIR: dir, OPENCLAW_AUTH_TOKEN: 'seed-token' })).toMatchObject({ token: 'seed-token' });
    expect(resolveGatewayTarget({ port: '4000' }, { OPENCLAW_STATE_DIR: dir })).toMatchObject({ url: 'ws://127.0.0.1:4000/ws', token: 'config-token' });
  });

  it('an explicit --url gets only explicit credentials; OPENCLAW_GATEWAY_URL gets the environment\'s but not the config\'s', () => {
    const dir = stateDir(config);
    const env = { OPENCLAW_STATE_DIR: dir, OPENCLAW_GATEWAY_TOKEN: 'env-token' };
    expect(resolveGatewayTarget({ url: 'wss://gw.example:443' }, env)).toMatchObject({ url: 'wss://gw.example/', urlSource: 'flag', token: undefined });
    expect(resolveGatewayTarget({ url: 'http://10.0.0.5:18789' }, env).url).toBe('ws://10.0.0.5:18789/');
    const fromEnv = { OPENCLAW_STATE_DIR: dir, OPENCLAW_GATEWAY_URL: 'ws://10.0.0.5:18789' };
    expect(resolveGatewayTarget({}, fromEnv)).toMatchObject({ urlSource: 'env', token: undefined });
    expect(resolveGatewayTarget({}, { ...fromEnv, OPENCLAW_GATEWAY_TOKEN: 'env-token' })).toMatchObject({ token: 'env-token' });
  });

  it('gateway.mode "remote" points at gateway.remote.url with its own token; probing "local" ignores it', () => {
    const dir = stateDir({ gateway: { mode: 'remote', remote: { url: 'ws://10.1.2.3:18789', token: '${REMOTE_TOKEN}' }, auth: { token: 'local' } } });
    const env = { OPENCLAW_STATE_DIR: dir, REMOTE_TOKEN: 'remote-secret' };
    expect(resolveGatewayTarget({}, env)).toMatchObject({ url: 'ws://10.1.2.3:18789/', urlSource: 'remote', token: 'remote-secret' });
    expect(resolveGatewayTarget({}, env, 'local')).toMatchObject({ urlSource: 'default', token: 'local' });
  });

  it('a SecretRef token is resolved; a broken config is reported, not fatal', () => {
    const ref = stateDir({ gateway: { auth: { token: { source: 'env', id: 'MY_GW_TOKEN' } } } });
    expect(resolveGatewayTarget({}, { OPENCLAW_STATE_DIR: ref, MY_GW_TOKEN: 'from-ref' }).token).toBe('from-ref');
    const broken = stateDir('{ gateway: ');
    const t = resolveGatewayTarget({}, { OPENCLAW_STATE_DIR: broken });
    expect(t.token).toBeUndefined();
    expect(t.configProblem).toMatch(/could not be read/);
  });

  it('bad flags are usage errors (exit 2)', () => {
    const bad = (flags: Record<string, string | undefined>): unknown => {
      try {
        resolveGatewayTarget(flags, { OPENCLAW_STATE_DIR: stateDir() });
      } catch (error) {
        return error;
      }
      return undefined;
    };
    for (const flags of [{ url: 'ftp://x' }, { url: 'ws://x', port: '1' }, { port: 'abc' }, { port: '70000' }, { token: ' ' }]) {
      const error = bad(flags);
      expect(error, JSON.stringify(flags)).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(2);
    }
  });
});

describe('human output', () => {
  const plain = colorsFor(false);

  it('tables align by display width (wide characters count twice) and cut long cells', () => {
    const table = formatTable([{ header: 'NAME' }, { header: 'N', align: 'right' }, { header: 'NOTE', maxWidth: 6 }], [['日本', '7', 'short'], ['abc', '12', 'much too long']], plain);
    expect(table.split('\n')).toEqual(['NAME   N  NOTE', '日本   7  short', 'abc   12  much …']);
    expect(truncateCell('abcdef', 4)).toBe('abc…');
  });

  it('the flex column gives way when the terminal is narrow', () => {
    const rows = [['x', 'a'.repeat(50)]];
    const table = formatTable([{ header: 'K' }, { header: 'TEXT', flex: true }], rows, plain, 20);
    expect(Math.max(...table.split('\n').map((l) => l.length))).toBeLessThanOrEqual(20);
  });

  it('relative times and durations', () => {
    const now = 1_000_000_000_000;
    expect(relativeTime(now - 2_000, now)).toBe('just now');
    expect(relativeTime(now - 90_000, now)).toBe('1m ago');
    expect(relativeTime(now + 3 * 3_600_000, now)).toBe('in 3h');
    expect(relativeTime(null, now)).toBe('-');
    expect(shortDuration(850)).toBe('850ms');
    expect(shortDuration(3_725_000)).toBe('1h 2m');
  });

  it('colour only for a terminal, never with NO_COLOR or --no-color, forced by FORCE_COLOR', () => {
    expect(colorEnabled({ isTTY: true }, {}, false)).toBe(true);
    expect(colorEnabled({ isTTY: false }, {}, false)).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' }, false)).toBe(false);
    expect(colorEnabled({ isTTY: true }, {}, true)).toBe(false);
    expect(colorEnabled({ isTTY: true }, { TERM: 'dumb' }, false)).toBe(false);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' }, false)).toBe(true);
    expect(colorsFor(true).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(colorsFor(false).red('x')).toBe('x');
  });
});

describe('config paths', () => {
  it('dots, indexes and quoted keys', () => {
    expect(parseConfigPath('agents.list[0].id', 'config get')).toEqual(['agents', 'list', 0, 'id']);
    expect(parseConfigPath('models.providers["my.host"].apiKey', 'config get')).toEqual(['models', 'providers', 'my.host', 'apiKey']);
    expect(formatConfigPath(['models', 'providers', 'my.host', 0])).toBe('models.providers["my.host"][0]');
    for (const bad of ['', '.a', 'a..b', 'a[x]', 'a[0']) expect(() => parseConfigPath(bad, 'config get'), bad).toThrow(CliError);
  });

  it('setting creates what is missing, keeps the rest, appends or removes list entries, never mutates the input', () => {
    const doc = { gateway: { port: 1, auth: { token: '__OPENCLAW_REDACTED__' } }, agents: { list: [{ id: 'a' }, { id: 'b' }] } };
    const frozen = JSON.stringify(doc);
    expect(withValueAtPath(doc, ['gateway', 'port'], 2, 'config set')).toEqual({ ...doc, gateway: { port: 2, auth: { token: '__OPENCLAW_REDACTED__' } } });
    expect(withValueAtPath(doc, ['channels', 'irc', 'nick'], 'bot', 'config set')).toMatchObject({ channels: { irc: { nick: 'bot' } } });
    expect((withValueAtPath(doc, ['agents', 'list', 2], { id: 'c' }, 'config set') as typeof doc).agents.list.map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect((withValueAtPath(doc, ['agents', 'list', 0], undefined, 'config unset') as typeof doc).agents.list).toEqual([{ id: 'b' }]);
    expect(withValueAtPath(doc, ['gateway', 'auth'], undefined, 'config unset')).toMatchObject({ gateway: { port: 1 } });
    expect(JSON.stringify(doc)).toBe(frozen);
    expect(() => withValueAtPath(doc, ['gateway', 'port', 'x'], 1, 'config set')).toThrow(/not an object/);
    expect(() => withValueAtPath(doc, ['agents', 'list', 5], 1, 'config set')).toThrow(/past the end/);
    expect(getAtPath(doc, ['agents', 'list', 1, 'id'])).toEqual({ found: true, value: 'b' });
    expect(getAtPath(doc, ['agents', 'list', 9])).toEqual({ found: false });
  });
});

describe('cron add flags', () => {
  it('durations need a unit; --at takes ISO times (offset-less = UTC, or --tz) and durations from now', () => {
    expect(durationMs('1h30m', '--every')).toBe(5_400_000);
    expect(() => durationMs('5', '--every')).toThrow(/with a unit/);
    expect(() => durationMs('-5m', '--every')).toThrow(/with a unit/);
    expect(atTime('2026-01-31T09:00', undefined)).toBe('2026-01-31T09:00:00.000Z');
    expect(atTime('2026-01-31T09:00+01:00', undefined)).toBe('2026-01-31T08:00:00.000Z');
    expect(atTime('2026-07-01T09:00', 'Europe/Berlin')).toBe('2026-07-01T07:00:00.000Z');
    expect(atTime('20m', undefined, Date.UTC(2026, 0, 1))).toBe('2026-01-01T00:20:00.000Z');
    expect(() => scheduleFromFlags({ cron: '0 9 * * *', tz: 'Mars/Base' })).toThrow(/not a time zone/);
    expect(() => scheduleFromFlags({ every: '1h', cron: '* * * * *' })).toThrow(/exactly one schedule/);
    expect(scheduleFromFlags({ cron: '0 9 * * *', tz: 'Europe/Berlin', exact: true })).toEqual({ kind: 'cron', expr: '0 9 * * *', tz: 'Europe/Berlin', staggerMs: 0 });
  });

  it('the payload decides the session target and delivery, as upstream', () => {
    expect(cronAddParams({ every: '10m', message: 'report' }, ['daily'])).toEqual({
      name: 'daily',
      schedule: { kind: 'every', everyMs: 600_000 },
      payload: { kind: 'agentTurn', message: 'report' },
      sessionTarget: 'isolated',
      delivery: { mode: 'announce', channel: 'last' },
    });
    expect(cronAddParams({ cron: '0 8 * * *', 'system-event': 'wake up', name: 'wake' }, [])).toMatchObject({ sessionTarget: 'main', payload: { kind: 'systemEvent', text: 'wake up' } });
    expect(cronAddParams({ at: '2026-01-31T09:00Z', message: 'once', 'no-deliver': true, 'keep-after-run': true }, ['one'])).toMatchObject({ delivery: { mode: 'none' }, deleteAfterRun: false });
    expect(() => cronAddParams({ every: '1h', message: 'x', session: 'main' }, ['n'])).toThrow(/main-session job takes --system-event/);
    expect(() => cronAddParams({ every: '1h', message: 'x', 'system-event': 'y' }, ['n'])).toThrow(/exactly one payload/);
    expect(() => cronAddParams({ every: '1h', message: 'x', announce: true, webhook: 'https://h' }, ['n'])).toThrow(/at most one/);
    expect(() => cronAddParams({ every: '1h', message: 'x' }, [])).toThrow(/needs a name/);
  });
});

// `openclaw logs`, `cron`, `status --deep/--usage`, `channels`, `skills`, `memory` and `nodes` against a real gateway process (fake
// model, a real IRC server, skill installers served from loopback): human tables and JSON, exit
// codes 0 / 1 (gateway error) / 2 (usage), `logs --follow` until Ctrl-C, and the install spinner
// on a terminal.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { makeStateDir, startCli, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { startNgircd, type NgircdServer } from '../helpers/ngircd-server.js';
import { jsonOf, runCli, startCliInPty, startCliProcess } from '../helpers/cli-runner.js';
import { makeTarGz, writeSkill } from '../skills/skill-fixtures.js';

// Each test starts several CLI processes one after another; on a busy machine one start takes seconds.
vi.setConfig({ testTimeout: 180_000 });

let upstream: FakeOpenAiServer;
let irc: NgircdServer;
let gw: RunningGateway;
let archives: Server;
let work: string;
/** How long (ms) the archive server waits before answering /slow.tar.gz (so the install spinner shows). */
const SLOW_MS = 2500;
const leftovers: { kill(): void }[] = [];
const cli = (args: string[]) => runCli(args, { stateDir: gw.stateDir, timeoutMs: 120_000 });
const ok = async (args: string[]) => {
  const result = await cli(args);
  expect(result.code, `openclaw ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result;
};
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'openclaw-cli-archives-'));
  const archive = readFileSync(makeTarGz(work, 'tool', { 'pkg/bin/oc-cli-tool': '#!/bin/sh\necho cli-tool-ran\n' }));
  archives = createServer((req, res) => {
    const send = (): void => void res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': archive.length }).end(archive);
    if (req.url === '/tool.tar.gz') send();
    else if (req.url === '/slow.tar.gz') setTimeout(send, SLOW_MS);
    else res.writeHead(404).end('missing');
  });
  await new Promise<void>((r) => archives.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(archives.address() as AddressInfo).port}`;

  upstream = await startFakeOpenAi();
  upstream.setDefault(() => ({ text: 'the hourly report is ready' }));
  irc = await startNgircd();
  const config = {
    ...TEST_CONFIG,
    ...fakeProviderConfig(upstream.baseUrl),
    channels: { irc: { host: '127.0.0.1', port: irc.port, tls: false, nick: 'clistatus', channels: ['#ops'] } },
  };
  const stateDir = makeStateDir(config);
  mkdirSync(join(stateDir, 'workspace', 'memory'), { recursive: true });
  writeFileSync(join(stateDir, 'workspace', 'MEMORY.md'), '# Memory\n\nThe deploy window is Tuesday at 14:00 UTC.\n');
  writeFileSync(join(stateDir, 'workspace', 'memory', 'people.md'), '# People\n\nAda leads the billing team.\n');
  gw = await startCli(config, stateDir);
  const pin = sha(archive);
  const installer = (id: string, file: string) => ({ id, kind: 'download', url: `${base}/${file}`, sha256: pin, stripComponents: 1, targetDir: '.', bins: ['oc-cli-tool'] });
  writeSkill(join(gw.stateDir, 'skills'), 'cli-tool', {
    name: 'cli-tool',
    description: 'needs oc-cli-tool',
    metadata: { openclaw: { requires: { bins: ['oc-cli-tool'] }, install: [installer('good', 'tool.tar.gz'), { id: 'bad-hash', kind: 'download', url: `${base}/tool.tar.gz`, sha256: '0'.repeat(64) }] } },
  });
  writeSkill(join(gw.stateDir, 'skills'), 'slow-tool', {
    name: 'slow-tool',
    description: 'needs oc-cli-tool, from a slow server',
    metadata: { openclaw: { requires: { bins: ['oc-cli-tool'] }, install: [installer('slow', 'slow.tar.gz')] } },
  });
}, 90_000);
afterAll(async () => {
  for (const l of leftovers) l.kill();
  await gw?.stop();
  await Promise.all([upstream?.close(), irc?.close(), new Promise((r) => (archives ? archives.close(r) : r(undefined)))]);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('openclaw logs', () => {
  it('the last lines readable or as JSON records; usage errors exit 2', async () => {
    const human = await ok(['logs', '--limit', '50']);
    expect(human.stdout).toMatch(/^\d\d:\d\d:\d\d INFO {2}client connected connId=\S+ .*client=cli/m);
    expect(human.stdout).not.toMatch(/^\{/m);

    const json = await ok(['logs', '--limit', '3', '--json']);
    const records = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { msg?: string; level?: number });
    expect(records.length).toBeGreaterThan(0);
    expect(records.length).toBeLessThanOrEqual(3);
    expect(records.every((r) => typeof r.msg === 'string')).toBe(true);

    for (const args of [['logs', '--limit', '0'], ['logs', '--utc', '--local-time'], ['logs', '--interval', 'soon']]) {
      const bad = await cli(args);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr).toMatch(/"openclaw logs --help"/);
    }
  });

  it('--follow prints new lines as the gateway writes them and stops cleanly on Ctrl-C', async () => {
    const follow = startCliProcess(['logs', '--follow', '--limit', '1', '--interval', '200'], { stateDir: gw.stateDir, timeoutMs: 120_000 });
    leftovers.push({ kill: () => follow.child.kill('SIGKILL') });
    await expect.poll(() => follow.stdout(), { timeout: 60_000 }).toMatch(/INFO/);
    // Another client's visit is logged by the gateway; the follower shows its connection id.
    const before = follow.stdout();
    await ok(['status']);
    await expect.poll(() => follow.stdout().slice(before.length), { timeout: 60_000, interval: 200 }).toMatch(/client connected connId=/);
    follow.child.kill('SIGINT');
    const done = await follow.result;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toBe('');
  });
});

describe('openclaw cron', () => {
  it('add, list, run, runs, disable, enable and rm, in both output modes', async () => {
    const added = await ok(['cron', 'add', 'cli-hourly', '--every', '1h', '--message', 'hello from cron', '--no-deliver']);
    const id = /^added (\S+) "cli-hourly": every 1h, next run in (59|60)m\n$/.exec(added.stdout)?.[1];
    expect(id, added.stdout).toBeDefined();

    const table = await ok(['cron', 'list']);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+SCHEDULE\s+NEXT\s+LAST\s+TARGET\s+ENABLED$/m);
    expect(table.stdout).toMatch(new RegExp(`^${id}\\s+cli-hourly\\s+every 1h\\s+in \\d+m\\s+never\\s+default/isolated\\s+yes$`, 'm'));
    const listed = jsonOf(await ok(['cron', 'list', '--json']));
    expect(listed.jobs).toEqual([expect.objectContaining({ id, name: 'cli-hourly', schedule: { kind: 'every', everyMs: 3_600_000 }, payload: { kind: 'agentTurn', message: 'hello from cron' } })]);

    const run = await ok(['cron', 'run', id!]);
    expect(run.stdout).toMatch(new RegExp(`^started ${id}: run \\S+ \\("openclaw cron runs --id ${id}" shows how it ends\\)\\n$`));
    await expect
      .poll(async () => jsonOf(await ok(['cron', 'runs', '--id', id!, '--json'])).entries.map((e: { status?: string }) => e.status), { timeout: 90_000, interval: 500 })
      .toEqual(['ok']);
    const runs = await ok(['cron', 'runs', id!]);
    expect(runs.stdout).toMatch(/^WHEN\s+JOB\s+STATUS\s+TOOK\s+DELIVERY\s+SUMMARY$/m);
    expect(runs.stdout).toMatch(/^(just now|\d+s ago)\s+cli-hourly\s+ok\s+\d+(\.\d+)?(ms|s)\s+not-requested\s+the hourly report is ready$/m);
    expect((await ok(['cron', 'list'])).stdout).toMatch(/\sok (just now|\d+s ago)\s/);

    expect((await ok(['cron', 'disable', id!])).stdout).toBe(`disabled ${id} "cli-hourly"\n`);
    expect((await ok(['cron', 'list'])).stdout).toMatch(/no jobs/);
    expect((await ok(['cron', 'list', '--all'])).stdout).toMatch(new RegExp(`^${id}\\s+cli-hourly.*\\sno$`, 'm'));
    expect(jsonOf(await ok(['cron', 'enable', id!, '--json']))).toMatchObject({ id, enabled: true });

    const status = await ok(['cron', 'status']);
    expect(status.stdout).toMatch(/^scheduler: running\njobs: +1\nnext wake: +in \d+m\n/);
    expect(jsonOf(await ok(['cron', 'rm', id!, '--json']))).toMatchObject({ id, removed: true });
    expect(jsonOf(await ok(['cron', 'list', '--json', '--all'])).jobs).toEqual([]);
  });

  it('an unknown job is a gateway error (exit 1, its code on stderr); a missing schedule or id is a usage error', async () => {
    const missing = await cli(['cron', 'run', 'no-such-job']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^openclaw: .*\[[A-Z_]+\/JOB_NOT_FOUND\]\n$/);
    const asJson = await cli(['cron', 'rm', 'no-such-job', '--json']);
    expect(asJson.code).toBe(1);
    expect(asJson.stdout).toBe('');
    expect(JSON.parse(asJson.stderr)).toMatchObject({ ok: false, error: { code: 'FAILED', message: expect.stringMatching(/no job "no-such-job" to remove/) } });

    const noSchedule = await cli(['cron', 'add', 'x', '--message', 'hi']);
    expect(noSchedule.code).toBe(2);
    expect(noSchedule.stderr).toMatch(/--at.*--every.*--cron[\s\S]*"openclaw cron add --help"/);
    const noId = await cli(['cron', 'rm']);
    expect(noId.code).toBe(2);
    expect(noId.stderr).toMatch(/name the job id/);
    const unknownSub = await cli(['cron', 'frobnicate']);
    expect(unknownSub.code).toBe(2);
  });
});

describe('openclaw status --usage, --deep, --all', () => {
  it('usage windows and tokens per model; a live probe of each channel account', async () => {
    // One turn through the fake model, so usage has something to show.
    expect((await ok(['agent', '-m', 'count the tokens', '--session-key', 'agent:main:cli-usage'])).stdout).toBe('the hourly report is ready\n');
    const usage = await ok(['status', '--usage']);
    expect(usage.stdout).toMatch(/^OpenClaw gateway /);
    expect(usage.stdout).toMatch(/^Usage$/m);
    expect(usage.stdout).toMatch(/^MODEL\s+INPUT\s+OUTPUT\s+TOTAL\s+COST$/m);
    expect(usage.stdout).toMatch(/^fake\/fake-model\s+\d+k?\s+\d+k?\s+\d+k?\s+(no price|\$\d+\.\d{4})$/m);
    expect(usage.stdout).not.toMatch(/Channel probes/);

    await expect.poll(async () => (await cli(['status', '--deep'])).code, { timeout: 60_000, interval: 500 }).toBe(0);
    const deep = await ok(['status', '--deep']);
    expect(deep.stdout).toMatch(/^Channel probes\nCHANNEL\s+ACCOUNT\s+PROBE\s+DETAIL$/m);
    expect(deep.stdout).toMatch(/^IRC\s+default\s+ok\s+\d+ms$/m);
    expect(deep.stdout).toMatch(/^WebChat\s+default\s+not probed\s*$/m);
    expect(deep.stdout).not.toMatch(/^Usage$/m);

    const all = jsonOf(await ok(['status', '--all', '--json']));
    expect(all.sessions.count).toBeGreaterThan(0);
    expect(all.usage.byModel).toEqual(expect.arrayContaining([expect.objectContaining({ provider: 'fake', model: 'fake-model' })]));
    expect(all.channelProbe.channelAccounts.irc[0].probe).toMatchObject({ ok: true });
    expect(jsonOf(await ok(['status', '--json']))).not.toHaveProperty('usage');
  });
});

describe('openclaw channels status', () => {
  it('each account with its state; a lost server shows as not connected', async () => {
    await expect.poll(async () => (await ok(['channels', 'status'])).stdout, { timeout: 60_000, interval: 500 }).toMatch(/^IRC\s+default \(default\)\s+connected\s/m);
    const table = await ok(['channels', 'status']);
    expect(table.stdout).toMatch(/^CHANNEL\s+ACCOUNT\s+STATE\s+LAST IN\s+LAST OUT\s+LAST ERROR$/m);
    expect(table.stdout).toMatch(/^WebChat\s+default \(default\)\s+idle\s/m);

    const json = jsonOf(await ok(['channels', 'status', '--channel', 'irc', '--json']));
    expect(json.channelAccounts.irc).toEqual([expect.objectContaining({ accountId: 'default', connected: true, nick: 'clistatus' })]);
    const probed = jsonOf(await ok(['channels', 'status', '--probe', '--json']));
    expect(probed.channelAccounts.irc[0].probe).toMatchObject({ ok: true });

    await irc.stop();
    try {
      await expect
        .poll(async () => (await ok(['channels', 'status', '--channel', 'irc'])).stdout, { timeout: 60_000, interval: 500 })
        .toMatch(/^IRC\s+default \(default\)\s+(connecting|error|stopped)\s/m);
      // status --deep fails for an account that should be connected and is not (its last probe was fine).
      const deep = await cli(['status', '--deep']);
      expect(deep.code).toBe(1);
      expect(deep.stdout).toMatch(/^IRC\s+default\s+not connected\b/m);
      expect(deep.stderr).toBe('openclaw: a channel probe failed (see above)\n');
    } finally {
      await irc.start();
    }
  });
});

describe('openclaw skills', () => {
  const skillsDir = () => join(gw.stateDir, 'tools', 'cli-tool');

  it('list, --eligible, info, and install: a refused download installs nothing, a good one makes the skill eligible', async () => {
    const table = await ok(['skills', 'list']);
    expect(table.stdout).toMatch(/^SKILL\s+STATUS\s+SOURCE\s+DESCRIPTION$/m);
    expect(table.stdout).toMatch(/^cli-tool\s+missing\s+openclaw-managed\s+needs oc-cli-tool$/m);
    expect((await ok(['skills'])).stdout).toBe(table.stdout);
    const verbose = await ok(['skills', 'list', '--verbose']);
    expect(verbose.stdout).toMatch(/^cli-tool\s+missing\s+openclaw-managed\s+bin:oc-cli-tool\s+good, bad-hash\s+needs oc-cli-tool$/m);
    const eligible = jsonOf(await ok(['skills', 'list', '--eligible', '--json']));
    expect(eligible.skills.map((s: { name: string }) => s.name)).not.toContain('cli-tool');

    const info = await ok(['skills', 'info', 'cli-tool']);
    expect(info.stdout).toMatch(/^cli-tool {2}missing\n {2}needs oc-cli-tool\n/);
    expect(info.stdout).toMatch(/^ {2}missing: +bin:oc-cli-tool$/m);
    expect(info.stdout).toMatch(/^ {2}installers: +good \(download: .*\); bad-hash \(download: .*\)$/m);
    expect(jsonOf(await ok(['skills', 'info', 'cli-tool', '--json']))).toMatchObject({ name: 'cli-tool', eligible: false, missing: { bins: ['oc-cli-tool'] } });

    const check = await ok(['skills', 'check']);
    expect(check.stdout).toMatch(/^\d+ ready, 2 missing requirements, 0 disabled or blocked \(of \d+\)\n/);
    expect(check.stdout).toMatch(/^cli-tool\s+bin:oc-cli-tool\s+openclaw skills install cli-tool --installer <id>$/m);
    expect(check.stdout).toMatch(/^slow-tool\s+bin:oc-cli-tool\s+openclaw skills install slow-tool$/m);
    expect(jsonOf(await ok(['skills', 'check', '--json'])).missing).toEqual(expect.arrayContaining([{ name: 'cli-tool', missing: ['bin:oc-cli-tool'], installers: ['good', 'bad-hash'] }]));

    const choose = await cli(['skills', 'install', 'cli-tool']);
    expect(choose.code).toBe(2);
    expect(choose.stderr).toMatch(/cli-tool has several installers; pick one with --installer: good \(.*\), bad-hash \(.*\)/);
    const unknown = await cli(['skills', 'install', 'no-such-skill']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no skill named "no-such-skill"/);

    const refused = await cli(['skills', 'install', 'cli-tool', '--installer', 'bad-hash']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^openclaw: the install failed: .*\[HASH_MISMATCH\]$/m);
    const refusedJson = await cli(['skills', 'install', 'cli-tool', '--installer', 'bad-hash', '--json']);
    expect(refusedJson.code).toBe(1);
    expect(jsonOf(refusedJson)).toMatchObject({ ok: false, reason: 'HASH_MISMATCH' });
    expect(existsSync(join(skillsDir(), 'bin', 'oc-cli-tool'))).toBe(false);

    const installed = await ok(['skills', 'install', 'cli-tool', '--installer', 'good']);
    expect(installed.stdout).toMatch(/^installed: /m);
    expect(readFileSync(join(skillsDir(), 'bin', 'oc-cli-tool'), 'utf8')).toContain('cli-tool-ran');
    expect((await ok(['skills', 'list'])).stdout).toMatch(/^cli-tool\s+eligible\s/m);
  });

  it('on a terminal an install that takes a while shows a progress spinner', async () => {
    const term = startCliInPty(['skills', 'install', 'slow-tool'], { stateDir: gw.stateDir });
    leftovers.push(term);
    await term.waitFor('installing slow-tool (slow)…', { timeoutMs: 90_000 });
    await term.waitFor(/installed: /, { timeoutMs: 90_000 });
    expect(await term.exited).toBe(0);
  });
});

describe('openclaw memory', () => {
  it('status shows the index; search prints each hit with its file, lines and snippet', async () => {
    const hits = await ok(['memory', 'search', 'billing', 'team']);
    expect(hits.stdout).toMatch(/^memory\/people\.md:\d+(-\d+)? {2}score \d\.\d{3}\n(  .*\n)*  .*Ada leads the billing team\./m);
    const json = jsonOf(await ok(['memory', 'search', 'deploy window', '--json', '--max-results', '1']));
    expect(json).toMatchObject({ agentId: 'main', mode: 'keyword' });
    expect(json.results).toEqual([expect.objectContaining({ path: 'MEMORY.md', snippet: expect.stringContaining('Tuesday at 14:00 UTC') })]);
    expect((await ok(['memory', 'search', 'zebra'])).stdout).toBe('no matches\n');

    const status = await ok(['memory', 'status']);
    expect(status.stdout).toMatch(/^main {2}(up to date|stale|indexing)\n/);
    expect(status.stdout).toMatch(/^ {2}indexed: +2 files, \d+ chunks?, /m);
    expect(status.stdout).toMatch(/^ {2}search: +keyword \(fts\)$/m);
    expect(jsonOf(await ok(['memory', 'status', '--json'])).agents).toEqual([expect.objectContaining({ agentId: 'main', files: 2, mode: 'keyword' })]);
  });

  it('no query or a bad number is a usage error; an unknown agent is a gateway error', async () => {
    for (const args of [['memory', 'search'], ['memory', 'search', 'x', '--max-results', '0'], ['memory', 'search', 'x', '--min-score', '2']]) {
      const bad = await cli(args);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr).toMatch(/"openclaw memory search --help"/);
    }
    const unknown = await cli(['memory', 'status', '--agent', 'nobody']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/AGENT_NOT_FOUND/);
  });
});

describe('openclaw nodes list', () => {
  it('lists the nodes (none yet): exit 0, one line; --json is node.list', async () => {
    const nodes = await ok(['nodes', 'list']);
    expect(nodes.stdout).toMatch(/^no nodes are paired or connected\n$/);
    const asJson = await ok(['nodes', 'list', '--json']);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ nodes: [], ts: expect.any(Number) });
    const help = await ok(['nodes', 'list', '--help']);
    expect(help.stdout).toMatch(/^Usage: openclaw nodes list/);
  });
});

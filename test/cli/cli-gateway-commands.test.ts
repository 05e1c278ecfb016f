// `openclaw gateway call|health|status|probe`, `health` and `status` against a real gateway
// process: stdout, stderr and exit codes in both output modes, and how a command finds its
// gateway (the state dir's lock, the environment, --url/--token, gateway.remote).
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeStateDir, startCli, TEST_CONFIG, TEST_TOKEN, type RunningGateway } from '../helpers/gateway-targets.js';
import { jsonOf, runCli } from '../helpers/cli-runner.js';

let gw: RunningGateway;
const extraDirs: string[] = [];
const cli = (args: string[], env?: NodeJS.ProcessEnv) => runCli(args, { stateDir: gw.stateDir, ...(env ? { env } : {}) });

/** A failure is one `openclaw:` line naming the code, never a stack. */
function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^openclaw: /);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at |\.mjs:\d+/);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

beforeAll(async () => {
  gw = await startCli(TEST_CONFIG);
}, 60_000);
afterAll(async () => {
  await gw?.stop();
  for (const d of extraDirs) await import('node:fs').then((fs) => fs.rmSync(d, { recursive: true, force: true }));
});

describe('gateway call', () => {
  it('calls a method and prints its result as JSON; params come from --params', async () => {
    const health = await cli(['gateway', 'call', 'health']);
    expect(health.code, health.stderr).toBe(0);
    expect(jsonOf(health)).toMatchObject({ ok: true, defaultAgentId: 'main' });
    const sessions = await cli(['gateway', 'call', 'sessions.list', '--params', '{"limit": 1}', '--json']);
    expect(sessions.code).toBe(0);
    expect(jsonOf(sessions)).toHaveProperty('sessions');
    expect(health.stderr).toBe('');
  });

  it('a two-answer method gives "accepted" unless --expect-final, as upstream', async () => {
    const accepted = await cli(['gateway', 'call', 'agent', '--params', '{"message": "hello"}']);
    expect(jsonOf(accepted)).toMatchObject({ status: 'accepted' });
    const final = await cli(['gateway', 'call', 'agent', '--params', '{"message": "hello"}', '--expect-final']);
    expect(final.code).toBe(0);
    expect(jsonOf(final)).toMatchObject({ status: 'ok', result: { payloads: [{ text: expect.stringContaining('hello') }] } });
  });

  it('usage errors exit 2 and point at --help', async () => {
    const cases: [string[], RegExp][] = [
      [['gateway', 'call'], /name the method to call/],
      [['gateway', 'call', 'health', '--params', '{nope'], /--params is not valid JSON/],
      [['gateway', 'call', 'health', '--params', '[1]'], /--params must be a JSON object/],
      [['gateway', 'call', 'health', '--timeout', 'soon'], /--timeout must be a whole number/],
      [['gateway', 'call', 'health', '--bogus'], /unknown option --bogus for "openclaw gateway call"/],
      [['gateway', 'frobnicate'], /unknown subcommand "frobnicate" for "openclaw gateway"/],
    ];
    for (const [args, pattern] of cases) {
      const out = await cli(args);
      expect(out.code, args.join(' ')).toBe(2);
      expectOneLine(out.stderr, pattern);
      expect(out.stderr).toMatch(/--help/);
    }
  });

  it('a gateway error is exit 1 with its code on stderr, as one JSON object with --json', async () => {
    const human = await cli(['gateway', 'call', 'no.such.method']);
    expect(human.code).toBe(1);
    expectOneLine(human.stderr, /does not know no\.such\.method.*\[INVALID_REQUEST\/UNKNOWN_METHOD\]$/);
    expect(human.stdout).toBe('');
    const invalid = await cli(['gateway', 'call', 'sessions.list', '--params', '{"limit": "ten"}', '--json']);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toBe('');
    const body = JSON.parse(invalid.stderr);
    expect(body).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', detailCode: 'INVALID_PARAMS', method: 'sessions.list' } });
  });

  it('--help is generated from the contract: every method with its doc, and one method\'s params', async () => {
    const index = await cli(['gateway', 'call', '--help']);
    expect(index.code).toBe(0);
    expect(index.stdout).toMatch(/sessions\.reset\s+Starts a fresh transcript under the same key/);
    const one = await cli(['gateway', 'call', 'sessions.delete', '--help']);
    expect(one.stdout).toMatch(/^sessions\.delete\n {2}Removes a session entry/);
    expect(one.stdout).toMatch(/Scope: operator\.admin/);
    expect(one.stdout).toMatch(/Errors \(details\.code\): SESSION_NOT_FOUND, SESSION_BUSY/);
    expect(one.stdout).toMatch(/key\s+string \(required\)/);
    expect(one.stdout).toMatch(/deleteTranscript\s+boolean/);
  });
});

describe('gateway health, status, probe', () => {
  it('health: a readable summary, or the snapshot as JSON', async () => {
    for (const args of [['gateway', 'health'], ['health']]) {
      const human = await cli(args);
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toMatch(/^Gateway ok · version \d+\.\d+\.\d+ · up /);
      expect(human.stdout).toMatch(/^AGENT\s+NAME\s+DEFAULT\s+SESSIONS$/m);
      expect(human.stdout).toMatch(/^main\s+yes\s+\d+$/m);
      expect(human.stdout).not.toMatch(/\u001b\[/); // not a terminal: no colour
    }
    const json = await cli(['gateway', 'health', '--json']);
    expect(jsonOf(json)).toMatchObject({ ok: true, agents: [{ agentId: 'main', isDefault: true }] });
  });

  it('status: the lock names the running process, the probe proves the handshake', async () => {
    const human = await cli(['gateway', 'status']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`Gateway  ${gw.url}  (the running gateway (pid ${gw.child!.pid}`);
    expect(human.stdout).toMatch(new RegExp(`process:\\s+pid ${gw.child!.pid}, started .*, port \\d+`));
    expect(human.stdout).toMatch(/reachable:\s+yes/);
    expect(human.stdout).toMatch(/auth:\s+admin \(operator\.admin\) via gateway\.auth\.token in /);
    const json = jsonOf(await cli(['gateway', 'status', '--json']));
    expect(json).toMatchObject({ url: gw.url, stateDir: gw.stateDir, process: { pid: gw.child!.pid }, probe: { reachable: true, protocol: 4, auth: { capability: 'admin' }, read: { ok: true } } });
    expect(json.probe.rtt.samples).toBe(3);
    const noProbe = jsonOf(await cli(['gateway', 'status', '--no-probe', '--json']));
    expect(noProbe.probe).toBeNull();
  });

  it('probe: every target with what it proved; exit 0 when one is reachable, 1 when none is', async () => {
    const dead = await closedPort();
    const both = await cli(['gateway', 'probe', '--url', `ws://127.0.0.1:${dead}`, '--token', TEST_TOKEN, '--json']);
    expect(both.code, both.stderr).toBe(0);
    const body = jsonOf(both);
    expect(body.ok).toBe(true);
    expect(body.targets.map((t: { id: string; reachable: boolean }) => [t.id, t.reachable])).toEqual([
      ['explicit', false],
      ['local', true],
    ]);
    expect(body.targets[0].connect.error.code).toBe('UNREACHABLE');
    expect(body.targets[1]).toMatchObject({ connect: { ok: true }, server: { version: expect.any(String) }, read: { ok: true } });
    expect(body.primaryTargetId).toBe('local');

    const human = await cli(['gateway', 'probe']);
    expect(human.stdout).toMatch(/^Local gateway {2}ws:\/\/127\.0\.0\.1:\d+\/ws/);
    expect(human.stdout).toMatch(/round trip:\s+[\d.]+ ms \(median [\d.]+ ms of 3 health calls\)/);

    const nothing = makeStateDir(null);
    extraDirs.push(nothing);
    const none = await runCli(['gateway', 'probe', '--port', String(dead)], { stateDir: nothing });
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/reachable:\s+no: cannot reach the gateway at ws:\/\/127\.0\.0\.1:\d+\/ws: connection refused/);
    expect(none.stderr).toMatch(/openclaw: no gateway is reachable/);
  });
});

describe('finding the gateway', () => {
  it('no gateway on the state dir: one line saying so and how to start one', async () => {
    const empty = makeStateDir(null);
    extraDirs.push(empty);
    const out = await runCli(['status'], { stateDir: empty, env: { OPENCLAW_GATEWAY_PORT: String(await closedPort()) } });
    expect(out.code).toBe(1);
    expectOneLine(out.stderr, new RegExp(`cannot reach the gateway at .*: connection refused; no gateway is running on ${empty.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(start one with "openclaw gateway"\\) \\[UNREACHABLE/ECONNREFUSED\\]`));
  });

  it('OPENCLAW_GATEWAY_URL with OPENCLAW_GATEWAY_TOKEN or the seed\'s OPENCLAW_AUTH_TOKEN, without any state dir', async () => {
    const nothing = makeStateDir(null);
    extraDirs.push(nothing);
    for (const tokenVar of ['OPENCLAW_GATEWAY_TOKEN', 'OPENCLAW_AUTH_TOKEN']) {
      const out = await runCli(['status', '--json'], { stateDir: nothing, env: { OPENCLAW_GATEWAY_URL: gw.url, [tokenVar]: TEST_TOKEN } });
      expect(out.code, out.stderr).toBe(0);
      expect(jsonOf(out)).toHaveProperty('sessions');
    }
  });

  it('an explicit --url gets no token from the config or the environment; a wrong token is named', async () => {
    const bare = await cli(['status', '--url', gw.url], { OPENCLAW_GATEWAY_TOKEN: TEST_TOKEN });
    expect(bare.code).toBe(1);
    expectOneLine(bare.stderr, /needs a token: pass --token .*with --url, credentials from the environment or the config are not sent.*\[INVALID_REQUEST\/AUTH_TOKEN_MISSING\]/);
    const wrong = await cli(['status', '--url', gw.url, '--token', 'not-the-token', '--json']);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stderr)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', detailCode: 'AUTH_TOKEN_MISMATCH', message: expect.stringContaining('refused the token from --token') } });
    const right = await cli(['status', '--url', gw.url, '--token', TEST_TOKEN, '--json']);
    expect(right.code, right.stderr).toBe(0);
  });

  it('--port on this machine uses the local config\'s token; gateway.mode "remote" uses gateway.remote', async () => {
    const port = new URL(gw.url).port;
    const byPort = await cli(['gateway', 'call', 'health', '--port', port]);
    expect(byPort.code, byPort.stderr).toBe(0);
    const remoteDir = makeStateDir({ gateway: { mode: 'remote', remote: { url: gw.url, token: TEST_TOKEN } } });
    extraDirs.push(remoteDir);
    const remote = await runCli(['gateway', 'status', '--json'], { stateDir: remoteDir });
    expect(remote.code, remote.stderr).toBe(0);
    expect(jsonOf(remote)).toMatchObject({ url: gw.url, source: expect.stringContaining('gateway.remote.url'), probe: { reachable: true } });
  });

  it('something that is not a gateway on the port is said so', async () => {
    const { createServer: createHttp } = await import('node:http');
    const web = createHttp((_req, res) => res.writeHead(404).end('nope'));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    try {
      const out = await cli(['gateway', 'call', 'health', '--url', `ws://127.0.0.1:${(web.address() as { port: number }).port}`, '--token', 'x']);
      expect(out.code).toBe(1);
      expectOneLine(out.stderr, /it answered HTTP 404 instead of a WebSocket upgrade; is it an OpenClaw gateway\?/);
    } finally {
      web.close();
    }
  });
});

describe('openclaw status and the command list', () => {
  it('status: version, agents, sessions and channels', async () => {
    const human = await cli(['status']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^OpenClaw gateway \d+\.\d+\.\d+ {2}ws:\/\//);
    expect(human.stdout).toMatch(/agents:\s+main \(default\)/);
    expect(human.stdout).toMatch(/channels:\s+WebChat: /);
    expect(jsonOf(await cli(['status', '--json']))).toMatchObject({ agents: [{ id: 'main', isDefault: true }] });
  });

  it('openclaw --help lists every command; openclaw gateway --help shows how to run it and the subcommands', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    for (const name of ['gateway', 'status', 'sessions', 'chat', 'agent', 'logs', 'config', 'cron', 'approvals', 'nodes', 'channels', 'skills', 'memory', 'browser']) expect(top.stdout).toMatch(new RegExp(`^  ${name}\\s`, 'm'));
    const gateway = await runCli(['gateway', '--help']);
    expect(gateway.stdout).toMatch(/^Usage: openclaw gateway \[run\] \[options\]/);
    expect(gateway.stdout).toMatch(/^ {2}probe\s+reachability, protocol, auth and round-trip time/m);
  });
});

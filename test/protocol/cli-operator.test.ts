// The CLI as an operator meets it: every start-up failure is one clear line and exit 1 (no stack,
// no bundle dump), usage errors exit 2 and point at --help, one gateway per state dir (a stale lock
// is taken over), a truthful banner with a clickable dashboard link, and `openclaw dashboard`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { makeStateDir, TEST_CONFIG, TEST_TOKEN } from '../helpers/gateway-targets.js';
import { BIN, cleanEnv, removeDir, spawnCli } from './gateway-fixtures.js';

// Each test starts CLI processes one after another; on a busy machine one start takes seconds.
vi.setConfig({ testTimeout: 120_000 });

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

function cli(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { env: cleanEnv(env), encoding: 'utf8', timeout: 90_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A start-up failure reads as one `openclaw: …` line: nothing minified, no stack, no sonic-boom noise. */
function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^openclaw: /);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/at .*\.mjs|sonic boom|Error:/);
}

const stateDir = (config: unknown = TEST_CONFIG): string => {
  const dir = makeStateDir(config);
  dirs.push(dir);
  return dir;
};

describe('start-up failures', () => {
  it('a port already in use: one line, exit 1', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const out = cli(['gateway', '--port', String(port), '--state-dir', stateDir()]);
      expect(out.code).toBe(1);
      expectOneLine(out.stderr, /port \d+ on 127\.0\.0\.1 is already in use/);
    } finally {
      blocker.close();
    }
  });

  it('--bind with an address this machine does not have: one line, exit 1', () => {
    const out = cli(['gateway', '--port', '0', '--bind', '999.1.1.1', '--state-dir', stateDir()]);
    expect(out.code).toBe(1);
    expectOneLine(out.stderr, /999\.1\.1\.1: it is not an address of this machine/);
  });

  it('openclaw.json being a directory is a sentence', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openclaw-cfgdir-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'openclaw.json'));
    const out = cli(['gateway', '--port', '0', '--state-dir', dir]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('it is a directory, not a file');
    expect(out.stderr).not.toMatch(/EISDIR|at .*\.mjs/);
  });

  it('config messages: a number for the token says a string is expected; a syntax error does not talk about keys; a typo gets a "did you mean"', () => {
    const wrongType = cli(['gateway', '--port', '0', '--state-dir', stateDir({ gateway: { auth: { token: 12345 } } })]);
    expect(wrongType.stderr).toMatch(/gateway\.auth\.token: expected string or object, received number/);
    const dir = mkdtempSync(join(tmpdir(), 'openclaw-syntax-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'openclaw.json'), '{ gateway: { port: 1 ');
    const syntax = cli(['gateway', '--port', '0', '--state-dir', dir]);
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(/not valid JSON5/);
    expect(syntax.stderr).not.toContain('Fix or remove these keys');
    const typo = cli(['gateway', '--port', '0', '--state-dir', stateDir({ gateway: { prot: 1, auth: { tokne: 'x' } } })]);
    expect(typo.stderr).toContain('gateway.prot: unknown key (did you mean "port"?)');
    expect(typo.stderr).toContain('gateway.auth.tokne: unknown key (did you mean "token"?)');
  });
});

describe('usage errors exit 2 and point at --help', () => {
  it.each([
    [['gateway', '--prot', '1'], /unknown option --prot for "openclaw gateway"; run "openclaw gateway --help"/],
    [['gateway', '--port'], /option --port needs a value .*openclaw gateway --help/],
    [['gateway', '--port', 'x80'], /--port must be a number/],
    [['gateway', '--token', ''], /--token is empty/],
    [['frobnicate'], /unknown command "frobnicate"; run "openclaw --help"/],
  ])('%j', (args, pattern) => {
    const out = cli(args);
    expect(out.code).toBe(2);
    expectOneLine(out.stderr, pattern);
  });
});

describe('one gateway per state dir', () => {
  it('a second gateway on the same state dir refuses and names the running one; a stale lock is taken over', async () => {
    const first = spawnCli({ stateDir: stateDir() });
    try {
      await first.ready;
      const second = cli(['gateway', '--port', '0', '--state-dir', first.stateDir]);
      expect(second.code).toBe(1);
      expectOneLine(second.stderr, new RegExp(`another gateway \\(pid ${first.child.pid} on 127\\.0\\.0\\.1:\\d+`));
      first.child.kill('SIGKILL');
      await first.exited;
      const third = spawnCli({ stateDir: first.stateDir });
      try {
        await third.ready;
      } finally {
        await third.stop();
      }
    } finally {
      await first.stop();
    }
  });
});

describe('banner and dashboard link', () => {
  it('says where the token comes from and prints a link with the token in the fragment', async () => {
    const fromFlag = spawnCli({ stateDir: stateDir(), args: ['--token', 'flag-token-abc'] });
    try {
      await fromFlag.ready;
      expect(fromFlag.stdout()).toContain('token:  from --token');
      expect(fromFlag.stdout()).toMatch(/dashboard: http:\/\/127\.0\.0\.1:\d+\/#token=flag-token-abc\n/);
      expect(fromFlag.stdout()).not.toMatch(/\?token=/);
    } finally {
      await fromFlag.stop();
    }
    const fromConfig = spawnCli({ stateDir: stateDir() });
    try {
      await fromConfig.ready;
      expect(fromConfig.stdout()).toMatch(/token: {2}gateway\.auth\.token in \S+openclaw\.json/);
      const port = /127\.0\.0\.1:(\d+)/.exec(fromConfig.stdout())![1];
      const dashboard = cli(['dashboard', '--state-dir', fromConfig.stateDir]);
      expect(dashboard.code).toBe(0);
      expect(dashboard.stdout.trim()).toBe(`http://127.0.0.1:${port}/#token=${TEST_TOKEN}`);
    } finally {
      await fromConfig.stop();
    }
    const fromEnv = spawnCli({ stateDir: stateDir({ gateway: { limits: TEST_CONFIG.gateway.limits } }), env: { OPENCLAW_GATEWAY_TOKEN: 'env-token-xyz' } });
    try {
      await fromEnv.ready;
      expect(fromEnv.stdout()).toContain('token:  from OPENCLAW_GATEWAY_TOKEN');
    } finally {
      await fromEnv.stop();
    }
  });
});

describe('npm start never runs a stale bundle', () => {
  it('bin/openclaw.js rebuilds the bundle when a source is newer than it', async () => {
    // A miniature checkout: the real bin and build script, a one-line CLI source, the repo's node_modules.
    const root = mkdtempSync(join(tmpdir(), 'openclaw-stale-'));
    dirs.push(root);
    const repo = join(import.meta.dirname, '../..');
    for (const dir of ['bin', 'scripts', 'server']) mkdirSync(join(root, dir));
    spawnSync('cp', [join(repo, 'bin/openclaw.js'), join(root, 'bin/')]);
    spawnSync('cp', [join(repo, 'scripts/build.mjs'), join(root, 'scripts/')]);
    spawnSync('ln', ['-s', join(repo, 'node_modules'), join(root, 'node_modules')]);
    writeFileSync(join(root, 'package.json'), '{"type":"module"}');
    const say = (text: string) => writeFileSync(join(root, 'server/cli.ts'), `process.stdout.write(${JSON.stringify(text)});\n`);
    const runBin = () => spawnSync(process.execPath, [join(root, 'bin/openclaw.js')], { encoding: 'utf8', timeout: 60_000 }).stdout;
    say('first');
    expect(runBin()).toBe('first');
    await new Promise((r) => setTimeout(r, 20)); // a later mtime than the bundle
    say('second');
    expect(runBin()).toBe('second');
    expect(runBin()).toBe('second');
  }, 120_000);
});

describe('a gateway child that does not start', () => {
  it('is not left running', async () => {
    const child = spawn(process.execPath, [BIN, 'gateway', '--port', '0', '--bind', '999.1.1.1', '--state-dir', stateDir()], { env: cleanEnv(), stdio: 'ignore' });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
  });
});

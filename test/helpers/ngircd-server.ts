// A real IRC server for tests and benchmarks: Debian's ngircd on a free loopback port, with a
// config file of its own in a temp dir, in the foreground (`ngircd -n -f <conf>`); restartable on
// the same port to test reconnects.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NGIRCD_BIN = ['/usr/sbin/ngircd', '/usr/bin/ngircd'].find((p) => existsSync(p)) ?? 'ngircd';

export interface NgircdServer {
  readonly port: number;
  readonly host: '127.0.0.1';
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`ngircd did not listen on ${port}:\n${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts ngircd; `password` makes it require that server password (PASS); `noPenalties` turns off
 * its per-client command throttling (benchmarks: it would add up to a second to a turn).
 */
export async function startNgircd(options: { password?: string; noPenalties?: boolean } = {}): Promise<NgircdServer> {
  const dir = mkdtempSync(join(tmpdir(), 'openclaw-ngircd-'));
  const port = await freePort();
  const conf = join(dir, 'ngircd.conf');
  writeFileSync(
    conf,
    [
      '[Global]',
      'Name = irc.test.local',
      'Info = OpenClaw test server',
      'AdminInfo1 = tests',
      'AdminInfo2 = tests',
      'AdminEMail = tests@localhost',
      'Listen = 127.0.0.1',
      `Ports = ${port}`,
      'MotdPhrase = test server',
      ...(options.password ? [`Password = ${options.password}`] : []),
      '[Limits]',
      'PingTimeout = 120',
      'PongTimeout = 20',
      'MaxNickLength = 30',
      'MaxConnectionsIP = 0',
      ...(options.noPenalties ? ['MaxPenaltyTime = 0'] : []),
      '[Options]',
      'DNS = no',
      'Ident = no',
      'PAM = no',
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  let output = '';
  const start = async (): Promise<void> => {
    output = '';
    const proc = spawn(NGIRCD_BIN, ['-n', '-f', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await waitForPort(port, 10_000, proc, () => output);
  };
  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 3000).unref();
    });
  };
  await start();
  return {
    port,
    host: '127.0.0.1',
    start,
    stop,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

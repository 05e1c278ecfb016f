// Regression: one local process holding ~20,000 idle TCP connections used up the gateway's file
// descriptors, so every new connection was reset until the idle ones timed out (~90 s). Idle
// sockets (no request yet) are now capped per address and time out, the gateway stays below its
// open-file limit, and a new connection takes the place of the oldest idle one.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../helpers/gateway-targets.js';
import { makeStateDir, TEST_CONFIG } from '../helpers/gateway-targets.js';
import { call, openReady } from '../helpers/raw-socket.js';
import { BIN, cleanEnv, removeDir, startWith } from './gateway-fixtures.js';

/** Opens a TCP connection that never sends a byte; resolves once connected (or refused). */
function idleSocket(port: number): Promise<{ socket: Socket; closed: Promise<void> }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('close', () => resolve({ socket, closed }));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function healthStatus(httpUrl: string): Promise<number | string> {
  try {
    const res = await fetch(`${httpUrl}/health`, { headers: { connection: 'close' } });
    await res.arrayBuffer();
    return res.status;
  } catch (error) {
    return String((error as Error).cause ?? error);
  }
}

describe('a process hoarding idle connections (gateway with 1024 file descriptors)', () => {
  let child: ChildProcess;
  let stateDir: string;
  let url: string;
  let httpUrl: string;
  const hoard: Socket[] = [];
  beforeAll(async () => {
    stateDir = makeStateDir();
    // The same exhaustion as 20,000 sockets against a 20,000-descriptor limit, at a size a test can afford.
    child = spawn('bash', ['-c', `ulimit -n 1024 && exec "${process.execPath}" "${BIN}" gateway --port 0 --state-dir "${stateDir}"`], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (ws:\/\/\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`gateway exited ${code}: ${out}`)));
    });
    httpUrl = `http://127.0.0.1:${new URL(url).port}`;
  }, 30_000);
  afterAll(async () => {
    for (const s of hoard) s.destroy();
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    removeDir(stateDir);
  });

  it('new clients still get HTTP and WebSocket service while 1,200 idle sockets are held', async () => {
    const port = Number(new URL(url).port);
    for (let i = 0; i < 1200; i += 100) {
      const batch = await Promise.all(Array.from({ length: 100 }, () => idleSocket(port)));
      hoard.push(...batch.map((b) => b.socket));
    }
    // Past the grace that protects a fresh burst, hoarded sockets are the first to go.
    await sleep(2_500);
    expect(await healthStatus(httpUrl)).toBe(200);
    const { socket } = await openReady(url, TEST_CONFIG.gateway.auth.token);
    expect((await call(socket, 'health', {})).ok).toBe(true);
    socket.close();
    expect(child.exitCode).toBeNull();
  }, 60_000);
});

describe('per-address caps', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startWith({ gateway: { limits: { maxIdleSocketsPerIp: 10, maxConnectionsPerIp: 40, idleSocketTimeoutMs: 60_000 } } });
  });
  afterAll(() => gw?.stop());

  it('an address past its idle cap loses its oldest idle sockets to new connections, and is held to its total', async () => {
    const port = Number(new URL(gw.url).port);
    const first = await Promise.all(Array.from({ length: 10 }, () => idleSocket(port)));
    await sleep(2_500);
    const second = await Promise.all(Array.from({ length: 10 }, () => idleSocket(port)));
    await Promise.all(first.map((f) => f.closed));
    expect(second.filter((s) => !s.socket.destroyed && s.socket.readyState === 'open')).toHaveLength(10);
    expect(await healthStatus(gw.httpUrl)).toBe(200);
    for (const s of second) s.socket.destroy();
  }, 30_000);

  it('fresh idle sockets beyond the address total are refused, and the gateway serves again once they go', async () => {
    const port = Number(new URL(gw.url).port);
    const burst = await Promise.all(Array.from({ length: 60 }, () => idleSocket(port)));
    const open = (): number => burst.filter((s) => !s.socket.destroyed).length;
    await expect.poll(open, { timeout: 5_000 }).toBeLessThanOrEqual(40);
    for (const s of burst) s.socket.destroy();
    await expect.poll(() => healthStatus(gw.httpUrl), { timeout: 5_000 }).toBe(200);
  }, 30_000);
});

describe('idle timeout', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startWith({ gateway: { limits: { idleSocketTimeoutMs: 300 } } });
  });
  afterAll(() => gw?.stop());

  it('closes a connection that sends nothing, and keeps one that made a request', async () => {
    const port = Number(new URL(gw.url).port);
    const { closed } = await idleSocket(port);
    await closed;
    const { socket } = await openReady(gw.url, gw.token);
    await sleep(600);
    expect((await call(socket, 'health', {})).ok).toBe(true);
    socket.close();
  });
});

// Child processes the benches measure against: the real gateway CLI and the raw `ws` baseline,
// plus a minimal client for both (one JSON frame per request, responses matched by id).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BENCH_TOKEN = 'bench-token-0123456789abcdef';

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  stop(): Promise<void>;
}

function benchEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const key of ['OPENCLAW_GATEWAY_TOKEN', 'OPENCLAW_CONFIG_PATH', 'OPENCLAW_STATE_DIR', 'OPENCLAW_GATEWAY_PORT', 'OPENCLAW_VALIDATE_CONTRACT']) {
    if (!(key in extra)) delete env[key];
  }
  return env;
}

/** Resolves with the URL the child prints as "listening on ws://…". */
export function waitForListening(child: ChildProcess, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no "listening on" within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const match = /listening on (ws:\/\/\S+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.resume(); // keep draining so the child never blocks on a full pipe
      resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${out}`));
    });
  });
}

/** SIGTERM the child and wait for it to exit (a no-op when it has exited), then run `cleanup`. */
export function stopChild(child: ChildProcess, cleanup?: () => void): () => Promise<void> {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    cleanup?.();
  };
}

/** A state dir whose config holds the bench token, so no start pays for token generation. */
export function makeBenchStateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'openclaw-bench-'));
  writeFileSync(join(dir, 'openclaw.json'), JSON.stringify({ gateway: { auth: { token: BENCH_TOKEN } } }));
  return dir;
}

/** `node bin/openclaw.js gateway --port 0 --state-dir <tmp>` (needs `npm run build`). */
export function spawnGateway(stateDir = makeBenchStateDir()): { child: ChildProcess; stateDir: string; spawnedAt: number } {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin/openclaw.js'), 'gateway', '--port', '0', '--state-dir', stateDir], {
    env: benchEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, stateDir, spawnedAt };
}

export async function startGateway(): Promise<ServerProcess> {
  const { child, stateDir } = spawnGateway();
  const url = await waitForListening(child);
  return { child, url, stop: stopChild(child, () => rmSync(stateDir, { recursive: true, force: true })) };
}

export async function startRawEcho(payload: unknown): Promise<ServerProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'bench/servers/raw-echo-server.mjs')], {
    env: benchEnv({ ECHO_PAYLOAD: JSON.stringify(payload) }),
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: ROOT,
  });
  const url = await waitForListening(child);
  return { child, url, stop: stopChild(child) };
}

/** One WebSocket that sends requests and resolves them by id. */
export class BenchClient {
  private readonly pending = new Map<string, (frame: Record<string, unknown>) => void>();
  private next = 0;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      if (frame.type !== 'res') return;
      const resolve = this.pending.get(frame.id as string);
      if (!resolve) return;
      this.pending.delete(frame.id as string);
      resolve(frame);
    });
  }

  static async open(url: string): Promise<BenchClient> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new BenchClient(ws);
  }

  request(method: string, params: unknown = {}): Promise<Record<string, unknown>> {
    const id = String(++this.next);
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ type: 'req', id, method, params }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** The `connect` request of an operator client with the bench token. */
export function connectFrame(id: string, scopes: readonly string[], token = BENCH_TOKEN, caps: readonly string[] = []): string {
  return JSON.stringify({
    type: 'req',
    id,
    method: 'connect',
    params: { minProtocol: 3, maxProtocol: 4, client: { id: 'test', version: '1.0.0', platform: process.platform, mode: 'probe' }, role: 'operator', scopes, caps, auth: { token } },
  });
}

/** Opens a socket and completes the gateway handshake; `openToHelloMs` excludes the TCP/upgrade part. */
export async function handshake(url: string, token = BENCH_TOKEN): Promise<{ ws: WebSocket; openToHelloMs: number }> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    let openedAt = 0;
    ws.once('error', reject);
    ws.once('open', () => (openedAt = performance.now()));
    const onMessage = (data: WebSocket.RawData): void => {
      const frame = JSON.parse(data.toString()) as { type: string; event?: string; id?: string; ok?: boolean; error?: unknown };
      if (frame.event === 'connect.challenge') {
        ws.send(connectFrame('connect', ['operator.admin'], token));
      } else if (frame.id === 'connect') {
        const openToHelloMs = performance.now() - openedAt;
        ws.off('message', onMessage);
        if (!frame.ok) reject(new Error(`connect failed: ${JSON.stringify(frame.error)}`));
        else resolve({ ws, openToHelloMs });
      }
    };
    ws.on('message', onMessage);
  });
}

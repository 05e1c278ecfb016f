// Gateway overhead of one chat turn: chat.send → chat `final` through the gateway CLI (bundled,
// own process) minus the very same model request (the body the gateway sent, replayed) made
// directly to the fake OpenAI-compatible upstream (own process). p50 over 200 turns of one session.
// Run: npm run build && node --import tsx bench/turn-overhead.ts
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type WebSocket from 'ws';
import type { BenchResult } from './bench-result.js';
import { BENCH_TOKEN, handshake, spawnGateway, stopChild, waitForListening } from './bench-processes.js';
import { now, percentile, round } from './latency-stats.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TURNS = 200;
const BLOCK = 20;
const WARMUP = 30;
const REPLY = 'Sure, here is a short answer to that.';

export interface Proc {
  readonly url: string;
  /** The process id, when it is a child process of the bench. */
  readonly pid?: number;
  stop(): Promise<void>;
}

/** The fake upstream in its own process (this file with `serve-upstream`), logging chunk times. */
export async function startUpstream(reply: Record<string, unknown> = { text: REPLY }): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'serve-upstream', JSON.stringify(reply)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await waitForListening(child).catch(async () => {
    // waitForListening matches ws:// URLs; the upstream prints http://
    throw new Error('fake upstream did not start');
  });
  return { url: url.replace(/^ws:/, 'http:'), stop: stopChild(child) };
}

/** The gateway CLI (dist bundle) with the fake upstream as its default model. */
export async function startGatewayOn(upstreamBaseUrl: string): Promise<Proc> {
  if (!existsSync(join(ROOT, 'dist', 'openclaw.mjs'))) throw new Error('dist/openclaw.mjs is missing; run `npm run build` first');
  const stateDir = mkdtempSync(join(tmpdir(), 'openclaw-turn-bench-'));
  writeFileSync(
    join(stateDir, 'openclaw.json'),
    JSON.stringify({
      gateway: { auth: { token: BENCH_TOKEN } },
      models: { providers: { fake: { baseUrl: upstreamBaseUrl, models: [{ id: 'fake-model', contextWindow: 128_000 }] } } },
      agents: { defaults: { model: { primary: 'fake/fake-model' } } },
    }),
  );
  const { child } = spawnGateway(stateDir);
  const url = await waitForListening(child);
  return { url, pid: child.pid!, stop: stopChild(child, () => rmSync(stateDir, { recursive: true, force: true })) };
}

/** Resolves chat.send runs by their terminal chat event; `onEvent` sees every frame. */
export class ChatDriver {
  private readonly waiting = new Map<string, (at: number) => void>();
  private counter = 0;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const at = now();
      const text = data.toString();
      if (!text.startsWith('{"type":"event","event":"chat"')) return;
      const frame = JSON.parse(text) as { payload: { runId: string; state: string } };
      if (frame.payload.state === 'delta') return;
      const resolve = this.waiting.get(frame.payload.runId);
      if (resolve) {
        this.waiting.delete(frame.payload.runId);
        resolve(at);
      }
    });
  }

  /** Sends one turn; resolves with send → final in ms. */
  turn(sessionKey: string, message: string): Promise<number> {
    const runId = `bench-${process.pid}-${++this.counter}`;
    const started = now();
    return new Promise((resolve) => {
      this.waiting.set(runId, (at) => resolve(at - started));
      this.ws.send(JSON.stringify({ type: 'req', id: runId, method: 'chat.send', params: { sessionKey, message, idempotencyKey: runId } }));
    });
  }
}

/** The bodies the upstream received from request index `since` on. */
export async function upstreamLog(upstreamBaseUrl: string, since: number): Promise<{ requests: unknown[]; chunks: { request: number; index: number; length: number; at: number }[] }> {
  const res = await fetch(`${upstreamBaseUrl.replace(/\/v1$/, '')}/__fake/log?since=${since}`);
  return (await res.json()) as { requests: unknown[]; chunks: { request: number; index: number; length: number; at: number }[] };
}

async function direct(upstreamBaseUrl: string, body: unknown): Promise<number> {
  const started = now();
  const res = await fetch(`${upstreamBaseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await res.text();
  return now() - started;
}

export async function run(): Promise<BenchResult[]> {
  const upstream = await startUpstream();
  let gateway: Proc | undefined;
  try {
    gateway = await startGatewayOn(upstream.url);
    const { ws } = await handshake(gateway.url);
    const driver = new ChatDriver(ws);
    let seen = 0;
    for (let i = 0; i < WARMUP; i++) await driver.turn('agent:main:bench-warmup', `warm-up ${i}`);
    const warm = await upstreamLog(upstream.url, 0);
    for (const body of warm.requests.slice(0, WARMUP)) await direct(upstream.url, body);
    seen = warm.requests.length;

    const viaGateway: number[] = [];
    const viaDirect: number[] = [];
    for (let block = 0; block < TURNS / BLOCK; block++) {
      for (let i = 0; i < BLOCK; i++) viaGateway.push(await driver.turn('agent:main:bench-turns', `question ${block * BLOCK + i}: what is new?`));
      const log = await upstreamLog(upstream.url, seen);
      seen += log.requests.length;
      for (const body of log.requests) viaDirect.push(await direct(upstream.url, body));
    }
    ws.close();
    const g50 = percentile(viaGateway, 0.5);
    const d50 = percentile(viaDirect, 0.5);
    const perTurn = viaGateway.map((g, i) => g - (viaDirect[i] ?? Number.NaN));
    return [
      {
        name: 'chat turn gateway overhead p50 (chat.send → final, minus direct upstream)',
        value: round(g50 - d50, 3),
        unit: 'ms',
        baseline: round(d50, 3),
        target: '≤ 5 ms',
        pass: g50 - d50 <= 5,
      },
      { name: 'chat turn p50 via gateway', value: round(g50, 3), unit: 'ms' },
      { name: 'chat turn p99 via gateway', value: round(percentile(viaGateway, 0.99), 3), unit: 'ms', baseline: round(percentile(viaDirect, 0.99), 3) },
      { name: 'chat turn overhead p50 (per-turn difference)', value: round(percentile(perTurn, 0.5), 3), unit: 'ms' },
    ];
  } finally {
    await Promise.all([gateway?.stop(), upstream.stop()]);
  }
}

async function serveUpstream(reply: string): Promise<void> {
  const { startFakeOpenAi } = await import('../test/helpers/fake-openai-server.js');
  const upstream = await startFakeOpenAi({ recordChunks: true });
  upstream.setDefault(JSON.parse(reply) as Parameters<typeof upstream.setDefault>[0]);
  process.on('SIGTERM', () => void upstream.close().then(() => process.exit(0)));
  // The "ws://" form lets bench-processes' waitForListening pick the line up; the caller maps it back.
  console.log(`listening on ws://${upstream.baseUrl.slice('http://'.length)}`);
}

if (process.argv[2] === 'serve-upstream') await serveUpstream(process.argv[3] ?? JSON.stringify({ text: REPLY }));
else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await run()) {
    console.log(`${r.name}: ${r.value} ${r.unit}${r.baseline === undefined ? '' : ` (direct ${r.baseline} ${r.unit})`}${r.target ? ` target ${r.target}: ${r.pass ? 'pass' : 'FAIL'}` : ''}`);
  }
}

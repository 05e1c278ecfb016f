// Presence at scale: 10,000 clients in `webchat` mode (tracked in presence, unlike CLI clients)
// connect to one gateway, as upstream clients (whole-list `presence` events) and as clients with
// the `presence-delta` cap. Each is measured against the same 10,000 as CLI clients (no presence)
// in the same run: the gateway's peak and settled RSS, how long the connects took, the presence
// bytes the clients received, and how long `health` takes on a fresh connection afterwards.
// Run: npm run build && node --import tsx bench/presence-scale.ts   (PRESENCE_CLIENTS=n to scale)
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import type { BenchResult } from './bench-result.js';
import { BENCH_TOKEN, handshake, makeBenchStateDir, spawnGateway, stopChild, waitForListening } from './bench-processes.js';
import { percentile, round } from './latency-stats.js';

const CLIENTS = Number(process.env.PRESENCE_CLIENTS ?? 10_000);
const CONCURRENCY = 200;
const SETTLE_MS = 3_000;
type Kind = 'cli' | 'webchat' | 'webchat+delta';

interface ClientReport {
  readonly connectMs: number;
  readonly presenceBytes: number;
  readonly presenceEvents: number;
}

/** Worker side: open CLIENTS sockets CONCURRENCY at a time, count presence bytes until told to stop. */
async function clients(url: string, kind: Kind): Promise<void> {
  let presenceBytes = 0;
  let presenceEvents = 0;
  const sockets: WebSocket[] = [];
  const mode = kind === 'cli' ? 'cli' : 'webchat';
  const caps = kind === 'webchat+delta' ? ['presence-delta'] : [];
  const open = (n: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      ws.once('error', reject);
      ws.on('message', (data: Buffer) => {
        if (data.length > 30 && data.toString('latin1', 0, 40).includes('"event":"presence')) {
          presenceBytes += data.length;
          presenceEvents++;
          return;
        }
        const text = data.toString();
        if (text.startsWith('{"type":"event","event":"connect.challenge"')) {
          const client = { id: mode === 'cli' ? 'cli' : 'webchat', version: '1.0.0', platform: 'linux', mode, instanceId: `bench-${n}` };
          ws.send(JSON.stringify({ type: 'req', id: 'c', method: 'connect', params: { minProtocol: 3, maxProtocol: 4, client, role: 'operator', scopes: ['operator.read', 'operator.write'], caps, auth: { token: BENCH_TOKEN } } }));
        } else if (text.startsWith('{"type":"res","id":"c"')) {
          if (!text.includes('"ok":true')) reject(new Error(`connect failed: ${text.slice(0, 300)}`));
          else resolve();
        }
      });
      sockets.push(ws);
    });
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CLIENTS) await open(next++);
    }),
  );
  const connectMs = performance.now() - started;
  parentPort!.postMessage({ connected: true, connectMs });
  parentPort!.once('message', () => {
    parentPort!.postMessage({ connectMs, presenceBytes, presenceEvents } satisfies ClientReport);
    for (const ws of sockets) ws.terminate();
  });
}

function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

interface Measured {
  readonly kind: Kind;
  readonly connectMs: number;
  readonly peakRssMb: number;
  readonly settledRssMb: number;
  readonly presenceMb: number;
  readonly presenceEvents: number;
  /** `health` answered on fresh connections: the first call's median over five, and p50 of the next 20. */
  readonly freshHealthMs: number;
  readonly healthP50Ms: number;
}

async function health(url: string): Promise<{ first: number; p50: number }> {
  const { ws } = await handshake(url);
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const onMessage = (data: Buffer): void => {
        if (!data.toString().startsWith(`{"type":"res","id":"h${i}"`)) return;
        ws.off('message', onMessage);
        resolve();
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ type: 'req', id: `h${i}`, method: 'health', params: {} }));
    });
    times.push(performance.now() - started);
  }
  ws.close();
  return { first: times[0]!, p50: percentile(times.slice(1), 0.5) };
}

async function measure(kind: Kind): Promise<Measured> {
  const stateDir = makeBenchStateDir();
  writeFileSync(join(stateDir, 'openclaw.json'), JSON.stringify({ gateway: { auth: { token: BENCH_TOKEN }, limits: { maxPreauthPerIp: CONCURRENCY * 2 } } }));
  const { child } = spawnGateway(stateDir);
  const stop = stopChild(child, () => rmSync(stateDir, { recursive: true, force: true }));
  const worker = new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`, { eval: true, workerData: { mode: 'presence-clients', url: '', kind } });
  try {
    const url = await waitForListening(child);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(child.pid!))), 100);
    const messages: unknown[] = [];
    let wake: (() => void) | undefined;
    worker.on('message', (m) => {
      messages.push(m);
      wake?.();
    });
    const nextMessage = async (): Promise<unknown> => {
      while (messages.length === 0) await new Promise<void>((r) => (wake = r));
      return messages.shift();
    };
    worker.postMessage({ url });
    await nextMessage(); // all connected
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const probes: { first: number; p50: number }[] = [];
    for (let i = 0; i < 5; i++) probes.push(await health(url));
    const fresh = { first: percentile(probes.map((p) => p.first), 0.5), p50: percentile(probes.map((p) => p.p50), 0.5) };
    const settled = rssOf(child.pid!);
    clearInterval(sampler);
    worker.postMessage({ report: true });
    const report = (await nextMessage()) as ClientReport;
    return {
      kind,
      connectMs: report.connectMs,
      peakRssMb: Math.max(peak, settled),
      settledRssMb: settled,
      presenceMb: report.presenceBytes / 1024 / 1024,
      presenceEvents: report.presenceEvents,
      freshHealthMs: fresh.first,
      healthP50Ms: fresh.p50,
    };
  } finally {
    await worker.terminate();
    await stop();
  }
}

export async function run(): Promise<BenchResult[]> {
  const cli = await measure('cli');
  const rows: BenchResult[] = [];
  for (const kind of ['webchat', 'webchat+delta'] as const) {
    const m = await measure(kind);
    const label = `${CLIENTS} ${kind === 'webchat' ? 'webchat clients (upstream presence)' : 'webchat clients (presence-delta)'}`;
    rows.push(
      // "Within the bounds of 10,000 CLI clients": measured against them in this run, not a fixed number.
      { name: `${label}: gateway peak RSS`, value: round(m.peakRssMb, 1), unit: 'MB', baseline: round(cli.peakRssMb, 1), target: '≤ CLI clients + 10 %', pass: m.peakRssMb <= cli.peakRssMb * 1.1 },
      { name: `${label}: gateway RSS after settling`, value: round(m.settledRssMb, 1), unit: 'MB', baseline: round(cli.settledRssMb, 1) },
      { name: `${label}: fresh health`, value: round(m.freshHealthMs, 2), unit: 'ms', baseline: round(cli.freshHealthMs, 2), target: '≤ 10 ms', pass: m.freshHealthMs <= 10 },
      { name: `${label}: health p50 on that connection`, value: round(m.healthP50Ms, 2), unit: 'ms', baseline: round(cli.healthP50Ms, 2) },
      { name: `${label}: all connected after`, value: round(m.connectMs, 0), unit: 'ms', baseline: round(cli.connectMs, 0) },
      { name: `${label}: presence bytes received (all clients)`, value: round(m.presenceMb, 1), unit: 'MB', baseline: round(cli.presenceMb, 1) },
      { name: `${label}: presence events received`, value: m.presenceEvents, unit: 'events', baseline: cli.presenceEvents },
    );
  }
  return rows;
}

if (!isMainThread && (workerData as { mode?: string } | undefined)?.mode === 'presence-clients') {
  const { kind } = workerData as { kind: Kind };
  parentPort!.once('message', (m: { url: string }) => void clients(m.url, kind));
} else if (isMainThread && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await run()) console.log(`${r.name}: ${r.value} ${r.unit}${r.baseline === undefined ? '' : ` (CLI clients ${r.baseline})`}${r.target ? ` target ${r.target}: ${r.pass ? 'pass' : 'FAIL'}` : ''}`);
}

// Many connections (issue 21): CONNECTIONS_IDLE (default 10,000) authenticated idle connections held
// by a worker thread while a fresh client measures `health` (p99), with the gateway's RSS before
// and after (per-connection memory); then one streaming run watched by 1,000 subscribers
// (bench/delta-fanout.ts) with the gateway's CPU time per delivered delta (per-event fan-out cost).
// The same `health` calls before the connections are opened are the baseline.
import { loadavg } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import type { BenchResult } from './bench-result.js';
import { BENCH_TOKEN, BenchClient, connectFrame, handshake, startGateway } from './bench-processes.js';
import { fanout } from './delta-fanout.js';
import { now, percentile, round } from './latency-stats.js';
import { sequential } from './rpc.js';
import { rssMb } from './proc-stats.js';

const IDLE = Number(process.env.CONNECTIONS_IDLE ?? 10_000);
const SUBSCRIBERS = Number(process.env.CONNECTIONS_SUBSCRIBERS ?? 1_000);
/** Handshakes in flight at once: below the gateway's per-address pre-auth budget. Holders declare `presence-delta` (main's presence work). */
const OPENING = 64;
const HEALTH_CALLS = 1_000;

/** Worker side: opens `count` connections, OPENING at a time, and holds them until told to stop. */
async function hold(url: string, count: number): Promise<void> {
  const sockets: WebSocket[] = [];
  let failed = 0;
  const open = (): Promise<void> =>
    new Promise((resolve) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      ws.once('error', () => {
        failed++;
        resolve();
      });
      ws.on('message', (data) => {
        const text = data.toString();
        if (text.startsWith('{"type":"event","event":"connect.challenge"')) {
          ws.send(connectFrame('c', ['operator.read'], BENCH_TOKEN, ['presence-delta']));
        } else if (text.startsWith('{"type":"res","id":"c"')) {
          if (!text.includes('"ok":true')) failed++;
          else sockets.push(ws);
          resolve();
        }
      });
    });
  let next = 0;
  await Promise.all(
    Array.from({ length: OPENING }, async () => {
      while (next < count) {
        next++;
        await open();
      }
    }),
  );
  parentPort!.postMessage({ held: sockets.length, failed });
  parentPort!.once('message', () => {
    for (const ws of sockets) ws.terminate();
    parentPort!.postMessage({ closed: true });
  });
}

async function idleConnections(): Promise<BenchResult[]> {
  const gateway = await startGateway();
  const pid = gateway.child.pid!;
  let worker: Worker | undefined;
  try {
    const probe = new BenchClient((await handshake(gateway.url)).ws);
    await sequential(probe, 200); // warm-up
    const before = await sequential(probe, HEALTH_CALLS);
    const rssBefore = rssMb(pid);
    const w = new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`, {
      eval: true,
      workerData: { mode: 'idle-holders', url: gateway.url, count: IDLE },
    });
    worker = w;
    const opened = now();
    const { held, failed } = await new Promise<{ held: number; failed: number }>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
    const openSeconds = (now() - opened) / 1000;
    process.stdout.write(`  ${held} connections held (${failed} failed) after ${round(openSeconds, 1)} s; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
    await new Promise((r) => setTimeout(r, 2_000));
    const rssHeld = rssMb(pid);
    // A fresh client, opened while the others are held.
    const fresh = new BenchClient((await handshake(gateway.url)).ws);
    await sequential(fresh, 200);
    const during = await sequential(fresh, HEALTH_CALLS);
    fresh.close();
    probe.close();
    w.postMessage({ stop: true });
    await new Promise((resolve) => w.once('message', resolve));
    const p99 = percentile(during, 0.99);
    const perConnKb = held > 0 ? ((rssHeld - rssBefore) * 1024) / held : Number.NaN;
    return [
      { name: `${held.toLocaleString('en-US')} idle authenticated connections: gateway RSS`, value: round(rssHeld, 1), unit: 'MB', baseline: round(rssBefore, 1), target: '≤ 300 MB', pass: rssHeld <= 300 && held >= IDLE },
      { name: 'memory per idle connection', value: round(perConnKb, 1), unit: 'KB' },
      { name: `fresh client health p99 while ${held.toLocaleString('en-US')} are held`, value: round(p99, 3), unit: 'ms', baseline: round(percentile(before, 0.99), 3), target: '≤ 10 ms', pass: p99 <= 10 },
      { name: `fresh client health p50 while ${held.toLocaleString('en-US')} are held`, value: round(percentile(during, 0.5), 3), unit: 'ms', baseline: round(percentile(before, 0.5), 3) },
      { name: 'connections opened per second (handshake included)', value: round(held / openSeconds, 0), unit: 'conn/s' },
    ];
  } finally {
    await worker?.terminate();
    await gateway.stop();
  }
}

export async function run(): Promise<BenchResult[]> {
  const idle = await idleConnections();
  const stream = await fanout(SUBSCRIBERS);
  const results = [...idle, ...stream.results];
  if (stream.cpuPerDeliveryUs !== undefined) {
    results.push({ name: `gateway CPU per delta delivered to one of ${SUBSCRIBERS} subscribers`, value: round(stream.cpuPerDeliveryUs, 2), unit: 'µs' });
  }
  return results;
}

if (!isMainThread && (workerData as { mode?: string } | null)?.mode === 'idle-holders') {
  const data = workerData as { url: string; count: number };
  await hold(data.url, data.count);
}

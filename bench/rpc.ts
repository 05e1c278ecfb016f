// RPC cost of the gateway against a raw `ws` JSON echo server started by this script, same
// machine, same client: throughput with 50 requests in flight on one connection, sequential
// round-trip p50/p99, and handshake p50 (socket open → hello-ok).
import type { BenchResult } from './bench-result.js';
import { BenchClient, handshake, startGateway, startRawEcho, type ServerProcess } from './bench-processes.js';
import { now, percentile, round } from './latency-stats.js';

const IN_FLIGHT = 50;
const THROUGHPUT_MS = 3_000;
const SEQUENTIAL = 3_000;
const HANDSHAKES = 300;

/** Requests answered per second with `IN_FLIGHT` outstanding at all times, over `durationMs`. */
async function throughput(client: BenchClient, durationMs: number): Promise<number> {
  let done = 0;
  let stop = false;
  const started = now();
  const worker = async (): Promise<void> => {
    while (!stop) {
      await client.request('health');
      done++;
      if (now() - started >= durationMs) stop = true;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return (done / (now() - started)) * 1000;
}

/** `count` health calls one after another: each round trip's time. */
export async function sequential(client: BenchClient, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = now();
    await client.request('health');
    samples.push(now() - t);
  }
  return samples;
}

interface RpcNumbers {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
}

async function measure(client: BenchClient): Promise<RpcNumbers> {
  await throughput(client, 500); // warm-up: JIT, buffers
  await sequential(client, 500);
  const rps = await throughput(client, THROUGHPUT_MS);
  const samples = await sequential(client, SEQUENTIAL);
  return { rps, p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) };
}

async function handshakeTimes(url: string, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const { ws, openToHelloMs } = await handshake(url);
    samples.push(openToHelloMs);
    ws.close();
  }
  return samples;
}

/** Raw baseline for the handshake row: socket open → first server message on the raw server. */
async function rawFirstMessage(url: string, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const client = await BenchClient.open(url);
    const t = now();
    await client.request('ping');
    samples.push(now() - t);
    client.close();
  }
  return samples;
}

export async function run(): Promise<BenchResult[]> {
  let gateway: ServerProcess | undefined;
  let raw: ServerProcess | undefined;
  try {
    gateway = await startGateway();
    const { ws } = await handshake(gateway.url);
    const gwClient = new BenchClient(ws);
    const health = (await gwClient.request('health')).payload;
    raw = await startRawEcho(health);
    const rawClient = await BenchClient.open(raw.url);

    const base = await measure(rawClient);
    const ours = await measure(gwClient);
    rawClient.close();
    gwClient.close();

    await handshakeTimes(gateway.url, 30); // warm-up
    const hs = percentile(await handshakeTimes(gateway.url, HANDSHAKES), 0.5);
    const rawHs = percentile(await rawFirstMessage(raw.url, HANDSHAKES), 0.5);

    return [
      {
        name: 'rpc throughput, 50 in flight (health)',
        value: Math.round(ours.rps),
        unit: 'req/s',
        baseline: Math.round(base.rps),
        target: '≥ 70 % of raw ws',
        pass: ours.rps >= 0.7 * base.rps,
      },
      {
        name: 'rpc sequential round trip p50',
        value: round(ours.p50, 3),
        unit: 'ms',
        baseline: round(base.p50, 3),
        target: '≤ 1.5× raw ws',
        pass: ours.p50 <= 1.5 * base.p50,
      },
      { name: 'rpc sequential round trip p99', value: round(ours.p99, 3), unit: 'ms', baseline: round(base.p99, 3) },
      { name: 'handshake p50 (open → hello-ok)', value: round(hs, 3), unit: 'ms', baseline: round(rawHs, 3), target: '≤ 1.2× raw ws', pass: hs <= 1.2 * rawHs },
    ];
  } finally {
    await Promise.all([gateway?.stop(), raw?.stop()]);
  }
}

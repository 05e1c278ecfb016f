// Delta fan-out: one streaming run watched by 200 connected clients (bench/connections.ts runs it with 1,000). For every upstream chunk, the
// time from the fake upstream writing it to the last of the 200 clients receiving a `chat` delta
// (or the final) that contains it; p50/p99 over the chunks of several runs. Gateway CLI, fake
// upstream and the 200 clients (a worker thread) each have their own event loop.
// Run: npm run build && node --import tsx bench/delta-fanout.ts   (FANOUT_DEBUG=1 lists chunks over 20 ms)
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import type { BenchResult } from './bench-result.js';
import { connectFrame, handshake } from './bench-processes.js';
import { percentile, round } from './latency-stats.js';
import { cpuMs } from './proc-stats.js';
import { startGatewayOn, startUpstream, upstreamLog, type Proc } from './turn-overhead.js';

const CLIENTS = 200;
const RUNS = 5;
const CHUNKS = 100;
const CHUNK_DELAY_MS = 10;
/** ~100 tokens/s of 6-character chunks: a fast model. */
const REPLY = { chunks: Array.from({ length: CHUNKS }, (_, i) => `tok${String(i).padStart(2, '0')} `), chunkDelayMs: CHUNK_DELAY_MS };

const wallNow = (): number => performance.timeOrigin + performance.now();
const TEXT_MARK = '"content":[{"type":"text","text":"';

interface ClientMessage {
  readonly runId: string;
  /** Per client: [receivedAt (epoch ms), cumulative text length] for each growth of the text. */
  readonly records: number[][][];
}

/** Worker side: CLIENTS watchers that note when the reply text grows, per run. */
async function watch(url: string, clients: number): Promise<void> {
  let current = '';
  let records: number[][][] = [];
  let finished = 0;
  const lengths = new Array<number>(clients).fill(0);
  const sockets: WebSocket[] = [];
  for (let c = 0; c < clients; c++) {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject);
      ws.on('message', (data) => {
        const at = wallNow();
        const text = data.toString();
        if (text.startsWith('{"type":"event","event":"connect.challenge"')) {
          ws.send(connectFrame('c', ['operator.read']));
          return;
        }
        if (text.startsWith('{"type":"res","id":"c"')) return resolve();
        if (!text.startsWith('{"type":"event","event":"chat"') || !text.includes(current)) return;
        // The reply is plain ASCII without escapes, so the raw JSON string's length is the text length;
        // reading it without JSON.parse keeps the 200 clients' own cost out of the measurement.
        const start = text.indexOf(TEXT_MARK);
        const length = start < 0 ? 0 : text.indexOf('"', start + TEXT_MARK.length) - start - TEXT_MARK.length;
        if (length > lengths[c]!) {
          lengths[c] = length;
          records[c]!.push([at, length]);
        }
        if (!text.includes('"state":"delta"') && ++finished === clients) parentPort!.postMessage({ runId: current, records } satisfies ClientMessage);
      });
    });
    sockets.push(ws);
  }
  parentPort!.on('message', (message: { runId?: string; stop?: boolean }) => {
    if (message.stop) {
      for (const ws of sockets) ws.close();
      return;
    }
    current = message.runId!;
    records = Array.from({ length: clients }, () => []);
    lengths.fill(0);
    finished = 0;
    parentPort!.postMessage({ ready: current });
  });
  parentPort!.postMessage({ connected: true });
}

/** `startGateway` lets a profiling harness run the gateway in its own process instead of the CLI. */
export async function run(startGateway: (upstreamBaseUrl: string) => Promise<Proc> = startGatewayOn): Promise<BenchResult[]> {
  return (await fanout(CLIENTS, startGateway)).results;
}

export interface FanoutOutcome {
  readonly results: BenchResult[];
  /** Gateway CPU time per delta frame delivered to one client (µs), when the gateway's pid is known. */
  readonly cpuPerDeliveryUs?: number;
}

/** `clients` watchers of RUNS streaming runs; p50/p99 from the upstream chunk to the last and to any client. */
export async function fanout(clients: number, startGateway: (upstreamBaseUrl: string) => Promise<Proc> = startGatewayOn): Promise<FanoutOutcome> {
  const upstream = await startUpstream(REPLY);
  let gateway: Proc | undefined;
  const worker = { current: undefined as Worker | undefined };
  try {
    gateway = await startGateway(upstream.url);
    // The worker runs this .ts file too: a tiny eval entry imports it once the tsx loader is in place.
    const w = new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`, {
      eval: true,
      workerData: { mode: 'fanout-clients', url: gateway.url, clients },
    });
    worker.current = w;
    const messages: unknown[] = [];
    const waiters: ((m: unknown) => boolean)[] = [];
    w.on('message', (m) => {
      const index = waiters.findIndex((test) => test(m));
      if (index >= 0) waiters.splice(index, 1);
      else messages.push(m);
    });
    const next = <T>(predicate: (m: unknown) => m is T): Promise<T> =>
      new Promise((resolve) => {
        const queued = messages.findIndex(predicate);
        if (queued >= 0) return resolve(messages.splice(queued, 1)[0] as T);
        waiters.push((m) => (predicate(m) ? (resolve(m), true) : false));
      });
    await next((m): m is { connected: true } => (m as { connected?: boolean }).connected === true);

    const { ws } = await handshake(gateway.url);
    let seen = 0;
    const lastClient: number[] = [];
    const everyClient: number[] = [];
    let deliveries = 0;
    let cpuStart = 0;
    for (let r = 0; r <= RUNS; r++) {
      if (r === 1 && gateway.pid) cpuStart = cpuMs(gateway.pid);
      const runId = `fanout-${process.pid}-${r}`;
      w.postMessage({ runId });
      await next((m): m is { ready: string } => (m as { ready?: string }).ready === runId);
      const ended = next((m): m is ClientMessage => (m as ClientMessage).runId === runId);
      ws.send(JSON.stringify({ type: 'req', id: runId, method: 'chat.send', params: { sessionKey: 'agent:main:fanout', message: `stream ${r}`, idempotencyKey: runId } }));
      const { records } = await ended;
      const log = await upstreamLog(upstream.url, seen);
      seen += log.requests.length;
      if (r === 0) continue; // warm-up
      for (const client of records) deliveries += client.length;
      const request = Math.max(...log.chunks.map((c) => c.request));
      const chunks = log.chunks.filter((c) => c.request === request).sort((a, b) => a.index - b.index);
      let end = 0;
      for (const chunk of chunks) {
        end += chunk.length;
        let worst = 0;
        for (const client of records) {
          const hit = client.find(([, length]) => length! >= end);
          if (!hit) continue;
          const latency = hit[0]! - chunk.at;
          everyClient.push(latency);
          worst = Math.max(worst, latency);
        }
        lastClient.push(worst);
        if (process.env.FANOUT_DEBUG && worst > 20) console.log(`run ${r} chunk ${chunk.index} worst ${worst.toFixed(1)} ms`);
      }
    }
    const cpuPerDeliveryUs = gateway.pid && deliveries > 0 ? ((cpuMs(gateway.pid) - cpuStart) * 1000) / deliveries : undefined;
    ws.close();
    w.postMessage({ stop: true });
    const p99 = percentile(lastClient, 0.99);
    const results: BenchResult[] = [
      {
        name: `delta fan-out to ${clients} clients, chunk → last client p99`,
        value: round(p99, 3),
        unit: 'ms',
        target: '≤ 20 ms',
        pass: p99 <= 20,
      },
      { name: `delta fan-out to ${clients} clients, chunk → last client p50`, value: round(percentile(lastClient, 0.5), 3), unit: 'ms' },
      { name: `delta fan-out to ${clients} clients, chunk → any client p50`, value: round(percentile(everyClient, 0.5), 3), unit: 'ms' },
    ];
    return cpuPerDeliveryUs === undefined ? { results } : { results, cpuPerDeliveryUs };
  } finally {
    await worker.current?.terminate();
    await Promise.all([gateway?.stop(), upstream.stop()]);
  }
}

if (!isMainThread && (workerData as { mode?: string } | null)?.mode === 'fanout-clients') {
  const data = workerData as { url: string; clients: number };
  await watch(data.url, data.clients);
} else if (isMainThread && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await run()) console.log(`${r.name}: ${r.value} ${r.unit}${r.target ? ` target ${r.target}: ${r.pass ? 'pass' : 'FAIL'}` : ''}`);
}

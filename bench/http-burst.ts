// HTTP burst: 1,000 concurrent /v1/chat/completions (half streaming) against a fast model, four
// times the 256 runs that execute at once. Every request should be served; the baseline is the
// same burst with no waiting line (gateway.limits.maxQueuedRuns 0, the old refuse-at-the-limit
// behaviour), which turns the excess away as 503 overloaded with Retry-After.
// Run: npm run build && node --import tsx bench/http-burst.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Agent, request } from 'node:http';
import type { BenchResult } from './bench-result.js';
import { BENCH_TOKEN, spawnGateway, stopChild, waitForListening } from './bench-processes.js';
import { percentile, round } from './latency-stats.js';
import { startUpstream, type Proc } from './turn-overhead.js';

const REQUESTS = 1000;
/** A fast model: five short chunks 5 ms apart. */
const REPLY = { chunks: ['The ', 'answer ', 'is ', 'forty-', 'two.'], chunkDelayMs: 5 };

interface Outcome {
  readonly status: number;
  readonly ms: number;
  readonly retryAfter: boolean;
  readonly overloaded: boolean;
}

async function startGateway(upstreamBaseUrl: string, limits: Record<string, number>): Promise<Proc & { httpUrl: string }> {
  const stateDir = mkdtempSync(join(tmpdir(), 'openclaw-burst-bench-'));
  writeFileSync(
    join(stateDir, 'openclaw.json'),
    JSON.stringify({
      gateway: { auth: { token: BENCH_TOKEN }, limits },
      models: { providers: { fake: { baseUrl: upstreamBaseUrl, models: [{ id: 'fake-model', contextWindow: 128_000 }] } } },
      agents: { defaults: { model: { primary: 'fake/fake-model' } } },
    }),
  );
  const { child } = spawnGateway(stateDir);
  const url = await waitForListening(child);
  return { url, httpUrl: `http://127.0.0.1:${new URL(url).port}`, stop: stopChild(child, () => rmSync(stateDir, { recursive: true, force: true })) };
}

function post(httpUrl: string, agent: Agent, body: string): Promise<{ status: number; retryAfter: boolean; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${httpUrl}/v1/chat/completions`, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] !== undefined, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function burst(httpUrl: string): Promise<Outcome[]> {
  // One connection per request, as 1,000 independent clients would open.
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  try {
    return await Promise.all(
      Array.from({ length: REQUESTS }, async (_, i): Promise<Outcome> => {
        const started = performance.now();
        const res = await post(httpUrl, agent, JSON.stringify({ model: 'openclaw', stream: i % 2 === 1, messages: [{ role: 'user', content: `question ${i}` }] }));
        return { status: res.status, ms: performance.now() - started, retryAfter: res.retryAfter, overloaded: res.text.includes('"overloaded_error"') };
      }),
    );
  } finally {
    agent.destroy();
  }
}

export async function run(): Promise<BenchResult[]> {
  const upstream = await startUpstream(REPLY);
  try {
    const measure = async (limits: Record<string, number>): Promise<{ outcomes: Outcome[]; wallMs: number }> => {
      const gateway = await startGateway(upstream.url, limits);
      try {
        const started = performance.now();
        const outcomes = await burst(gateway.httpUrl);
        return { outcomes, wallMs: performance.now() - started };
      } finally {
        await gateway.stop();
      }
    };
    const queued = await measure({});
    const refusing = await measure({ maxQueuedRuns: 0 });
    const served = queued.outcomes.filter((o) => o.status === 200);
    const refusedWell = refusing.outcomes.filter((o) => o.status === 503 && o.retryAfter && o.overloaded).length;
    const refusedBaseline = refusing.outcomes.filter((o) => o.status !== 200).length;
    const latencies = served.map((o) => o.ms);
    return [
      {
        name: `burst of ${REQUESTS} chat completions: served (200)`,
        value: served.length,
        unit: 'requests',
        baseline: REQUESTS - refusedBaseline,
        target: `= ${REQUESTS}`,
        pass: served.length === REQUESTS,
      },
      { name: 'burst: wall time until the last answer', value: round(queued.wallMs, 0), unit: 'ms', baseline: round(refusing.wallMs, 0) },
      { name: 'burst: latency p50 of served requests', value: round(percentile(latencies, 0.5), 1), unit: 'ms' },
      { name: 'burst: latency p99 of served requests', value: round(percentile(latencies, 0.99), 1), unit: 'ms' },
      {
        name: 'no waiting line (maxQueuedRuns 0): refusals that are 503 overloaded_error with Retry-After',
        value: refusedWell,
        unit: 'requests',
        baseline: refusedBaseline,
        target: '= every refusal',
        pass: refusedWell === refusedBaseline,
      },
    ];
  } finally {
    await upstream.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await run()) console.log(`${r.name}: ${r.value} ${r.unit}${r.baseline === undefined ? '' : ` (baseline ${r.baseline})`}${r.target ? ` target ${r.target}: ${r.pass ? 'pass' : 'FAIL'}` : ''}`);
}

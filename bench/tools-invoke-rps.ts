// Requests per second of POST /tools/invoke on a trivial tool with 50 concurrent connections
// (autocannon), beside a raw node:http server answering the same JSON, in the same run; each
// server in its own process, the load generator in this one. Server CPU per request is reported
// too: on a shared 2-core machine req/s follows the scheduler as much as the code.
import autocannon from 'autocannon';
import { pathToFileURL } from 'node:url';
import type { BenchResult } from './bench-result.js';
import { cpuTimeMs, HTTP_BENCH_TOKEN, startBenchServer, type BenchServer } from './http-bench-servers.js';
import { round } from './latency-stats.js';

const CONNECTIONS = 50;
const DURATION_S = 3;
const ROUNDS = 3;
const BODY = JSON.stringify({ tool: 'bench_echo', args: { text: 'ping' } });
const ANSWER = JSON.stringify({ ok: true, result: { text: 'ping' } });

interface Load {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  /** Server CPU per answered request, µs: unlike req/s, barely moved by other load on the machine. */
  readonly cpuUs: number;
}

async function load(server: BenchServer, url: string, headers: Record<string, string>, durationS: number): Promise<Load> {
  const cpuBefore = cpuTimeMs(server.pid);
  const result = await autocannon({ url, connections: CONNECTIONS, duration: durationS, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: BODY });
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  const cpuUs = ((cpuTimeMs(server.pid) - cpuBefore) * 1000) / result['2xx'];
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuUs };
}

export async function run(): Promise<BenchResult[]> {
  let raw: BenchServer | undefined;
  let upstream: BenchServer | undefined;
  let gateway: BenchServer | undefined;
  try {
    raw = await startBenchServer('raw-json', ANSWER);
    upstream = await startBenchServer('fake-upstream');
    gateway = await startBenchServer('gateway', upstream.url);
    const invokeUrl = `${gateway.url}/tools/invoke`;
    const auth = { authorization: `Bearer ${HTTP_BENCH_TOKEN}` };
    const check = await fetch(invokeUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: BODY });
    const answer = await check.text();
    if (answer !== ANSWER) throw new Error(`/tools/invoke answered ${check.status} ${answer}, expected ${ANSWER}`);
    // Warm both (JIT, sockets), then alternate the two so load from elsewhere on the machine hits
    // both alike, and compare each side's median round.
    await load(raw, raw.url, {}, 1);
    await load(gateway, invokeUrl, auth, 1);
    const rawRuns: Load[] = [];
    const gwRuns: Load[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rawRuns.push(await load(raw, raw.url, {}, DURATION_S));
      gwRuns.push(await load(gateway, invokeUrl, auth, DURATION_S));
    }
    const median = (runs: Load[]): Load => [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)]!;
    const base = median(rawRuns);
    const ours = median(gwRuns);
    return [
      {
        name: '/tools/invoke throughput, 50 connections (trivial tool)',
        value: Math.round(ours.rps),
        unit: 'req/s',
        baseline: Math.round(base.rps),
        target: '≥ 60 % of raw node:http',
        pass: ours.rps >= 0.6 * base.rps,
      },
      { name: '/tools/invoke server CPU per request', value: round(ours.cpuUs, 1), unit: 'µs', baseline: round(base.cpuUs, 1) },
      { name: '/tools/invoke latency p50, 50 connections', value: round(ours.p50, 2), unit: 'ms', baseline: round(base.p50, 2) },
      { name: '/tools/invoke latency p99, 50 connections', value: round(ours.p99, 2), unit: 'ms', baseline: round(base.p99, 2) },
    ];
  } finally {
    await Promise.all([gateway?.stop(), upstream?.stop(), raw?.stop()]);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await run()) console.log(`${r.name}: ${r.value} ${r.unit}${r.baseline === undefined ? '' : ` (raw node:http ${r.baseline} ${r.unit})`}${r.target ? ` target ${r.target}: ${r.pass ? 'pass' : 'FAIL'}` : ''}`);
}

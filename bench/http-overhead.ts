// Added latency of /v1/chat/completions over calling the fake upstream directly, same client, each
// server in its own process: p50 of whole non-streaming requests, and p50 time to first token
// (first content chunk) of streaming ones, over 500 sequential requests each. To tell apart what
// the agent runtime costs from what the HTTP layer costs, the same turn is also started through
// the run API inside the gateway, and a trivial /tools/invoke call is timed beside raw node:http.
import { Agent, request } from 'node:http';
import { pathToFileURL } from 'node:url';
import type { BenchResult } from './bench-result.js';
import { HTTP_BENCH_TOKEN, startBenchServer, type BenchServer } from './http-bench-servers.js';
import { now, percentile, round } from './latency-stats.js';

const REQUESTS = 500;
const WARMUP = 50;
const ECHO_BODY = JSON.stringify({ tool: 'bench_echo', args: { text: 'ping' } });
const ECHO_ANSWER = JSON.stringify({ ok: true, result: { text: 'ping' } });
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

interface Timing {
  /** Request start → first SSE data line carrying content (streaming only). */
  readonly firstTokenMs: number;
  /** Request start → last byte. */
  readonly totalMs: number;
}

const hasContent = (line: string): boolean => {
  if (!line.startsWith('data: {')) return false;
  const chunk = JSON.parse(line.slice(6)) as { choices?: { delta?: { content?: string } }[] };
  return !!chunk.choices?.[0]?.delta?.content;
};

/** One POST; for SSE answers, notes when the first content chunk arrived. */
function post(url: string, body: string, headers: Record<string, string> = {}, onBody?: (text: string) => void): Promise<Timing> {
  const started = now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      let firstTokenMs = Number.NaN;
      let pending = '';
      res.setEncoding('utf8');
      let all = '';
      res.on('data', (text: string) => {
        if (onBody) all += text;
        if (!Number.isNaN(firstTokenMs)) return;
        pending += text;
        const lines = pending.split('\n');
        pending = lines.pop()!;
        if (lines.some(hasContent)) firstTokenMs = now() - started;
      });
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${url} answered ${res.statusCode}`));
        else {
          onBody?.(all);
          resolve({ firstTokenMs, totalMs: now() - started });
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function series(url: string, body: string, headers: Record<string, string>, count: number): Promise<Timing[]> {
  const out: Timing[] = [];
  for (let i = 0; i < count; i++) out.push(await post(url, body, headers));
  return out;
}

const p50 = (timings: readonly Timing[], key: keyof Timing): number => percentile(timings.map((t) => t[key]), 0.5);

/** The same agent turn started through the run API inside the gateway (the `bench_turn` tool), as the gateway timed it. */
async function turns(toolsUrl: string, auth: Record<string, string>, count: number): Promise<Timing[]> {
  const out: Timing[] = [];
  const body = JSON.stringify({ tool: 'bench_turn', args: { message: 'Say something short.' } });
  for (let i = 0; i < count; i++) {
    await post(toolsUrl, body, auth, (text) => {
      const { result } = JSON.parse(text) as { result: { status: string; totalMs: number; firstTextMs: number } };
      if (result.status !== 'ok') throw new Error(`bench_turn ended ${result.status}`);
      out.push({ totalMs: result.totalMs, firstTokenMs: result.firstTextMs });
    });
  }
  return out;
}

export async function run(): Promise<BenchResult[]> {
  let upstream: BenchServer | undefined;
  let gateway: BenchServer | undefined;
  let raw: BenchServer | undefined;
  try {
    raw = await startBenchServer('raw-json', ECHO_ANSWER);
    upstream = await startBenchServer('fake-upstream');
    gateway = await startBenchServer('gateway', upstream.url);
    const direct = `${upstream.url}/chat/completions`;
    const viaGateway = `${gateway.url}/v1/chat/completions`;
    const toolsUrl = `${gateway.url}/tools/invoke`;
    const auth = { authorization: `Bearer ${HTTP_BENCH_TOKEN}` };
    const messages = [{ role: 'user', content: 'Say something short.' }];
    const upstreamBody = (stream: boolean): string => JSON.stringify({ model: 'fake-model', messages, stream });
    const gatewayBody = (stream: boolean): string => JSON.stringify({ model: 'openclaw', messages, stream });

    await series(direct, upstreamBody(false), {}, WARMUP);
    await series(viaGateway, gatewayBody(false), auth, WARMUP);
    await series(viaGateway, gatewayBody(true), auth, WARMUP);
    await turns(toolsUrl, auth, WARMUP);
    await series(toolsUrl, ECHO_BODY, auth, WARMUP);
    await series(raw.url, ECHO_BODY, {}, WARMUP);
    // Interleave the arms in blocks so drift on a busy machine hits all alike.
    const d: Timing[] = [];
    const g: Timing[] = [];
    const ds: Timing[] = [];
    const gs: Timing[] = [];
    const run: Timing[] = [];
    const echo: Timing[] = [];
    const rawEcho: Timing[] = [];
    for (let block = 0; block < 10; block++) {
      d.push(...(await series(direct, upstreamBody(false), {}, REQUESTS / 10)));
      g.push(...(await series(viaGateway, gatewayBody(false), auth, REQUESTS / 10)));
      ds.push(...(await series(direct, upstreamBody(true), {}, REQUESTS / 10)));
      gs.push(...(await series(viaGateway, gatewayBody(true), auth, REQUESTS / 10)));
      run.push(...(await turns(toolsUrl, auth, REQUESTS / 10)));
      echo.push(...(await series(toolsUrl, ECHO_BODY, auth, REQUESTS / 10)));
      rawEcho.push(...(await series(raw.url, ECHO_BODY, {}, REQUESTS / 10)));
    }
    const addedTotal = p50(g, 'totalMs') - p50(d, 'totalMs');
    const addedFirstToken = p50(gs, 'firstTokenMs') - p50(ds, 'firstTokenMs');
    return [
      {
        name: '/v1/chat/completions added latency p50 (non-streaming)',
        value: round(addedTotal, 3),
        unit: 'ms',
        baseline: round(p50(d, 'totalMs'), 3),
        target: '≤ 2 ms over direct upstream',
        pass: addedTotal <= 2,
      },
      {
        name: '/v1/chat/completions added time to first token p50 (streaming)',
        value: round(addedFirstToken, 3),
        unit: 'ms',
        baseline: round(p50(ds, 'firstTokenMs'), 3),
        target: '≤ 2 ms over direct upstream',
        pass: addedFirstToken <= 2,
      },
      { name: '/v1/chat/completions p50 via gateway (non-streaming)', value: round(p50(g, 'totalMs'), 3), unit: 'ms' },
      { name: '/v1/chat/completions p50 first token via gateway (streaming)', value: round(p50(gs, 'firstTokenMs'), 3), unit: 'ms' },
      { name: 'same agent turn via the run API, timed in the gateway: p50 total', value: round(p50(run, 'totalMs'), 3), unit: 'ms' },
      { name: 'same agent turn via the run API, timed in the gateway: p50 first text', value: round(p50(run, 'firstTokenMs'), 3), unit: 'ms' },
      {
        name: 'HTTP layer alone: /tools/invoke trivial tool p50 (sequential)',
        value: round(p50(echo, 'totalMs'), 3),
        unit: 'ms',
        baseline: round(p50(rawEcho, 'totalMs'), 3),
      },
    ];
  } finally {
    agent.destroy();
    await Promise.all([gateway?.stop(), upstream?.stop(), raw?.stop()]);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await run()) console.log(`${r.name}: ${r.value} ${r.unit}${r.baseline === undefined ? '' : ` (baseline ${r.baseline} ${r.unit})`}${r.target ? ` target ${r.target}: ${r.pass ? 'pass' : 'FAIL'}` : ''}`);
}

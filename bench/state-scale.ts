// Large state (issue 21): 100,000 sessions in upstream's layout (STATE_SCALE_SESSIONS to change it),
// 20 messages each, plus one 100 MB transcript. Measures, on the real CLI: the first start on that
// state (the SQLite index is built from sessions.json then), a restart (index present: spawn →
// hello-ok and the first sessions.list), RSS, a sessions.list page, chat.history of the last 50
// messages of the big transcript, and a session change (sessions.patch) with the bytes it writes.
// The same steps on an empty state dir, in the same run, are the baseline.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from './bench-result.js';
import { BENCH_TOKEN, BenchClient, handshake, spawnGateway, stopChild, waitForListening } from './bench-processes.js';
import { now, percentile, round } from './latency-stats.js';
import { rssMb, writtenBytes } from './proc-stats.js';
import { generateState } from './state-scale-fixture.js';

const SESSIONS = Number(process.env.STATE_SCALE_SESSIONS ?? 100_000);
const MESSAGES = Number(process.env.STATE_SCALE_MESSAGES ?? 20);
const BIG_MB = Number(process.env.STATE_SCALE_BIG_MB ?? 100);
const SAMPLES = 200;
const CHANGES = 200;

interface Started {
  client: BenchClient;
  pid: number;
  helloMs: number;
  firstListMs: number;
  stop(): Promise<void>;
}

async function start(stateDir: string): Promise<Started> {
  const { child, spawnedAt } = spawnGateway(stateDir);
  const url = await waitForListening(child, 120_000);
  const { ws } = await handshake(url);
  const helloMs = now() - spawnedAt;
  const client = new BenchClient(ws);
  const t = now();
  const first = await client.request('sessions.list', { limit: 50 });
  if (!first.ok) throw new Error(`sessions.list failed: ${JSON.stringify(first.error)}`);
  return { client, pid: child.pid!, helloMs, firstListMs: now() - t, stop: stopChild(child) };
}

async function timed(client: BenchClient, count: number, method: string, params: (i: number) => unknown): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = now();
    const res = await client.request(method, params(i));
    samples.push(now() - t);
    if (!res.ok) throw new Error(`${method} failed: ${JSON.stringify(res.error)}`);
  }
  return samples;
}

interface Figures {
  helloMs: number;
  firstListMs: number;
  rssFirstMb: number;
  rssAfterMb: number;
  listP50: number;
  deepListP50: number;
  historyP50: number;
  changeP50: number;
  changeBytes: number;
}

async function measure(stateDir: string, bigKey: string, total: number): Promise<Figures> {
  const gw = await start(stateDir);
  try {
    const rssFirstMb = rssMb(gw.pid);
    await timed(gw.client, 20, 'sessions.list', () => ({ limit: 50 })); // warm-up
    const list = await timed(gw.client, SAMPLES, 'sessions.list', () => ({ limit: 50 }));
    const deep = await timed(gw.client, 50, 'sessions.list', () => ({ limit: 50, offset: Math.max(0, Math.floor(total / 2)) }));
    const history = await timed(gw.client, 50, 'chat.history', () => ({ sessionKey: bigKey, limit: 50 }));
    await timed(gw.client, 10, 'sessions.patch', (i) => ({ key: `agent:main:bench-${i}`, label: `warm ${i}` }));
    const before = writtenBytes(gw.pid);
    const change = await timed(gw.client, CHANGES, 'sessions.patch', (i) => ({ key: `agent:main:bench-${i % Math.max(1, total)}`, label: `changed ${i}` }));
    const changeBytes = (writtenBytes(gw.pid) - before) / CHANGES;
    return {
      helloMs: gw.helloMs,
      firstListMs: gw.firstListMs,
      rssFirstMb,
      rssAfterMb: rssMb(gw.pid),
      listP50: percentile(list, 0.5),
      deepListP50: percentile(deep, 0.5),
      historyP50: percentile(history, 0.5),
      changeP50: percentile(change, 0.5),
      changeBytes,
    };
  } finally {
    await gw.stop();
  }
}

function benchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'openclaw-state-scale-'));
  writeFileSync(join(dir, 'openclaw.json'), JSON.stringify({ gateway: { auth: { token: BENCH_TOKEN } } }));
  return dir;
}

export async function run(): Promise<BenchResult[]> {
  const big = benchDir();
  const empty = benchDir();
  try {
    const t = now();
    const fixture = generateState(big, { sessions: SESSIONS, messages: MESSAGES, bigTranscriptMb: BIG_MB });
    const generateMs = now() - t;
    const emptyFixture = generateState(empty, { sessions: 0, messages: MESSAGES, bigTranscriptMb: BIG_MB });
    process.stdout.write(
      `  generated ${SESSIONS} sessions (${round(fixture.transcriptBytes / 2 ** 20, 0)} MB of transcripts, sessions.json ${round(fixture.indexBytes / 2 ** 20, 1)} MB) in ${round(generateMs / 1000, 1)} s; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`,
    );
    // First start on upstream's files alone: the index is built from sessions.json.
    const upgrade = await start(big);
    const upgradeMs = upgrade.helloMs + upgrade.firstListMs;
    await upgrade.stop();
    const base = await measure(empty, emptyFixture.bigKey, 0);
    const ours = await measure(big, fixture.bigKey, SESSIONS);
    const indexMb = statSync(join(fixture.sessionsDir, 'sessions.json')).size / 2 ** 20;
    const n = `${SESSIONS.toLocaleString('en-US')} sessions`;
    return [
      { name: `first start on upstream files (index built), ${n}: spawn → first sessions.list`, value: round(upgradeMs, 0), unit: 'ms', baseline: round(base.helloMs + base.firstListMs, 0) },
      { name: `start, ${n}: spawn → hello-ok`, value: round(ours.helloMs, 0), unit: 'ms', baseline: round(base.helloMs, 0), target: '≤ 500 ms', pass: ours.helloMs <= 500 },
      { name: `first call, ${n}: sessions.list {limit: 50}`, value: round(ours.firstListMs, 1), unit: 'ms', baseline: round(base.firstListMs, 1), target: '≤ 500 ms', pass: ours.firstListMs <= 500 },
      { name: `RSS after the first call, ${n}`, value: round(ours.rssFirstMb, 1), unit: 'MB', baseline: round(base.rssFirstMb, 1), target: '≤ 150 MB', pass: ours.rssFirstMb <= 150 },
      { name: `RSS after ${SAMPLES + 300} calls, ${n}`, value: round(ours.rssAfterMb, 1), unit: 'MB', baseline: round(base.rssAfterMb, 1), target: '≤ 150 MB', pass: ours.rssAfterMb <= 150 },
      { name: `sessions.list page of 50 p50, ${n}`, value: round(ours.listP50, 3), unit: 'ms', baseline: round(base.listP50, 3), target: '≤ 5 ms', pass: ours.listP50 <= 5 },
      { name: `sessions.list page of 50 at offset ${Math.floor(SESSIONS / 2)} p50`, value: round(ours.deepListP50, 3), unit: 'ms', baseline: round(base.deepListP50, 3) },
      { name: `chat.history last 50 of a ${BIG_MB} MB transcript p50`, value: round(ours.historyP50, 3), unit: 'ms', baseline: round(base.historyP50, 3), target: '≤ 10 ms', pass: ours.historyP50 <= 10 },
      { name: `session change (sessions.patch) p50, ${n}`, value: round(ours.changeP50, 3), unit: 'ms', baseline: round(base.changeP50, 3) },
      {
        name: `bytes written per change (sessions.json is ${round(indexMb, 1)} MB)`,
        value: Math.round(ours.changeBytes),
        unit: 'B',
        baseline: Math.round(base.changeBytes),
        target: 'O(1): ≤ 64 KB, not a rewrite',
        pass: ours.changeBytes <= 64 * 1024,
      },
    ];
  } finally {
    rmSync(big, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  }
}

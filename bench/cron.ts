// Cron on the gateway CLI (own process): firing accuracy (a run's start minus its scheduled slot,
// both recorded by the gateway, p99 over 100 jobs due in the same second; baseline: 100 plain
// setTimeouts due at one instant in this process), cron.list with 10,000 jobs (p50; baseline:
// cron.status on the same socket) and the scheduler's idle CPU with 10,000 jobs (baseline: the
// same gateway with no jobs).
// Run: npm run build && node --import tsx bench/run-all.ts cron
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from './bench-result.js';
import { BENCH_TOKEN, BenchClient, handshake, makeBenchStateDir, spawnGateway, stopChild, waitForListening } from './bench-processes.js';
import { median, now, percentile, round } from './latency-stats.js';
import { startUpstream } from './turn-overhead.js';

const FIRING_JOBS = 100;
const LIST_JOBS = 10_000;
const LIST_CALLS = 200;
const IDLE_SECONDS = 10;
const CLOCK_TICK = 1000 / 100;

interface Gateway {
  readonly client: BenchClient;
  readonly pid: number;
  stop(): Promise<void>;
}

async function startGateway(config: Record<string, unknown>, jobs?: unknown[]): Promise<Gateway> {
  const stateDir = makeBenchStateDir();
  writeFileSync(join(stateDir, 'openclaw.json'), JSON.stringify({ gateway: { auth: { token: BENCH_TOKEN } }, ...config }));
  if (jobs) {
    mkdirSync(join(stateDir, 'cron'), { recursive: true });
    writeFileSync(join(stateDir, 'cron', 'jobs.json'), JSON.stringify({ version: 1, jobs }));
  }
  const { child } = spawnGateway(stateDir);
  const url = await waitForListening(child);
  const { ws } = await handshake(url);
  const client = new BenchClient(ws);
  const stop = stopChild(child, () => rmSync(stateDir, { recursive: true, force: true }));
  return { client, pid: child.pid!, stop: async () => (client.close(), await stop()) };
}

async function ok(client: BenchClient, method: string, params: unknown): Promise<any> {
  const frame = await client.request(method, params);
  if (!frame.ok) throw new Error(`${method} failed: ${JSON.stringify(frame.error)}`);
  return frame.payload;
}

/** utime + stime of a process, in ms (Linux /proc). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK;
}

async function idleCpuPercent(gateway: Gateway): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const before = cpuMs(gateway.pid);
  const started = now();
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  return (100 * (cpuMs(gateway.pid) - before)) / (now() - started);
}

function farJob(i: number): Record<string, unknown> {
  const at = Date.now();
  return {
    id: `bench-${i}`,
    name: `nightly report ${i}`,
    enabled: true,
    createdAtMs: at,
    updatedAtMs: at,
    schedule: { kind: 'cron', expr: `${i % 60} ${i % 24} * * *`, tz: 'UTC' },
    sessionTarget: 'isolated',
    wakeMode: 'now',
    payload: { kind: 'agentTurn', message: `compile report ${i}` },
    delivery: { mode: 'none' },
    catchUp: 'once',
    // A slot tomorrow or later: nothing fires during the bench.
    state: { nextRunAtMs: at + 86_400_000 + i * 1000 },
  };
}

/** 100 setTimeouts due at one instant: what Node's own timers give. */
async function timerBaselineP99(): Promise<number> {
  const due = Date.now() + 500;
  const delays = await Promise.all(
    Array.from({ length: FIRING_JOBS }, () => new Promise<number>((resolve) => setTimeout(() => resolve(Date.now() - due), due - Date.now()))),
  );
  return percentile(delays, 0.99);
}

async function firingAccuracy(): Promise<BenchResult[]> {
  const upstream = await startUpstream({ text: 'done' });
  const gateway = await startGateway({
    models: { providers: { fake: { baseUrl: `${upstream.url}/v1`, models: [{ id: 'fake-model', contextWindow: 128_000 }] } } },
    agents: { defaults: { model: { primary: 'fake/fake-model' } } },
    cron: { maxConcurrentRuns: FIRING_JOBS },
  });
  try {
    const slot = Math.ceil((Date.now() + 4000) / 1000) * 1000;
    for (let i = 0; i < FIRING_JOBS; i++) {
      await ok(gateway.client, 'cron.add', {
        name: `burst ${i}`,
        deleteAfterRun: false,
        schedule: { kind: 'at', at: new Date(slot).toISOString() },
        payload: { kind: 'agentTurn', message: `job ${i}` },
        delivery: { mode: 'none' },
      });
    }
    let entries: { runAtMs: number; scheduledAtMs: number }[] = [];
    const deadline = Date.now() + 60_000;
    while (entries.length < FIRING_JOBS && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      entries = (await ok(gateway.client, 'cron.runs', { scope: 'all', limit: 200 })).entries;
    }
    if (entries.length < FIRING_JOBS) throw new Error(`only ${entries.length} of ${FIRING_JOBS} jobs ran`);
    const delays = entries.map((e) => e.runAtMs - e.scheduledAtMs);
    const p99 = percentile(delays, 0.99);
    return [
      {
        name: `firing delay p99 (${FIRING_JOBS} jobs due in one second)`,
        value: round(p99, 1),
        unit: 'ms',
        baseline: round(await timerBaselineP99(), 1),
        target: '≤ 50 ms',
        pass: p99 <= 50,
      },
    ];
  } finally {
    await gateway.stop();
    await upstream.stop();
  }
}

async function listAndIdle(): Promise<BenchResult[]> {
  const empty = await startGateway({});
  let emptyIdle: number;
  try {
    emptyIdle = await idleCpuPercent(empty);
  } finally {
    await empty.stop();
  }
  const gateway = await startGateway({}, Array.from({ length: LIST_JOBS }, (_, i) => farJob(i)));
  try {
    const status = await ok(gateway.client, 'cron.status', {});
    if (status.jobs !== LIST_JOBS) throw new Error(`gateway holds ${status.jobs} jobs, expected ${LIST_JOBS}`);
    const idle = await idleCpuPercent(gateway);
    const time = async (method: string, params: unknown): Promise<number[]> => {
      const samples: number[] = [];
      for (let i = 0; i < 20; i++) await ok(gateway.client, method, params);
      for (let i = 0; i < LIST_CALLS; i++) {
        const t = now();
        await ok(gateway.client, method, params);
        samples.push(now() - t);
      }
      return samples;
    };
    const list = median(await time('cron.list', {}));
    const baseline = median(await time('cron.status', {}));
    return [
      { name: `cron.list p50 (${LIST_JOBS.toLocaleString('en-US')} jobs, page of 200)`, value: round(list), unit: 'ms', baseline: round(baseline), target: '≤ 10 ms', pass: list <= 10 },
      { name: `scheduler idle CPU (${LIST_JOBS.toLocaleString('en-US')} jobs, ${IDLE_SECONDS} s)`, value: round(idle, 2), unit: '%', baseline: round(emptyIdle, 2), target: '≤ 1 % (no polling)', pass: idle <= 1 },
    ];
  } finally {
    await gateway.stop();
  }
}

export async function run(): Promise<BenchResult[]> {
  return [...(await firingAccuracy()), ...(await listAndIdle())];
}

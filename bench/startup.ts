// Start-up and idle memory of the real CLI: time from spawn to the first successful handshake
// (median of several cold starts), then the resident set of that process after ~2 s idle. The
// bare `ws` echo server, measured the same way, is the baseline that shows how busy the machine is.
import { rmSync } from 'node:fs';
import type { BenchResult } from './bench-result.js';
import { BenchClient, handshake, makeBenchStateDir, spawnGateway, startRawEcho, waitForListening } from './bench-processes.js';
import { median, now, round } from './latency-stats.js';
import { cpuMs, rssMb } from './proc-stats.js';

const RUNS = 7;
const IDLE_MS = 2_000;

async function oneStart(measureIdle: boolean): Promise<{ readyMs: number; cpuMs: number; idleRssMb?: number }> {
  const stateDir = makeBenchStateDir();
  const { child, spawnedAt } = spawnGateway(stateDir);
  try {
    const url = await waitForListening(child);
    const { ws } = await handshake(url);
    const readyMs = now() - spawnedAt;
    const cpu = cpuMs(child.pid!);
    ws.close();
    if (!measureIdle) return { readyMs, cpuMs: cpu };
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return { readyMs, cpuMs: cpu, idleRssMb: rssMb(child.pid!) };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Baseline: the bare `ws` echo server, spawn → first answered request, same machine, same moment. */
async function rawStart(): Promise<{ readyMs: number; cpuMs: number; rssMb: number }> {
  const spawnedAt = now();
  const raw = await startRawEcho({ ok: true });
  try {
    const client = await BenchClient.open(raw.url);
    await client.request('ping');
    const readyMs = now() - spawnedAt;
    client.close();
    const cpu = cpuMs(raw.child.pid!);
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return { readyMs, cpuMs: cpu, rssMb: rssMb(raw.child.pid!) };
  } finally {
    await raw.stop();
  }
}

export async function run(): Promise<BenchResult[]> {
  await oneStart(false); // warm the OS file cache
  const times: number[] = [];
  const cpu: number[] = [];
  let idleRssMb = 0;
  for (let i = 0; i < RUNS; i++) {
    const result = await oneStart(i === RUNS - 1);
    times.push(result.readyMs);
    cpu.push(result.cpuMs);
    if (result.idleRssMb !== undefined) idleRssMb = result.idleRssMb;
  }
  const rawRuns = [await rawStart(), await rawStart(), await rawStart()];
  const ready = median(times);
  return [
    {
      name: 'spawn → first handshake (median of 7)',
      value: round(ready, 0),
      unit: 'ms',
      baseline: round(median(rawRuns.map((r) => r.readyMs)), 0),
      target: '≤ 500 ms',
      pass: ready <= 500,
    },
    { name: 'CPU time used until ready (user + sys)', value: round(median(cpu), 0), unit: 'ms', baseline: round(median(rawRuns.map((r) => r.cpuMs)), 0) },
    { name: 'idle RSS after 2 s', value: round(idleRssMb, 1), unit: 'MB', baseline: round(rawRuns[2]!.rssMb, 1), target: '≤ 80 MB', pass: idleRssMb <= 80 },
  ];
}

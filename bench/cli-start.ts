// How fast the `openclaw` CLI starts as a client: spawn → exit of `openclaw --version` and of a
// whole `openclaw gateway call health --json` round trip against a running gateway (median of
// several runs), each beside bare `node -e 0` measured in the same run as the baseline.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from './bench-result.js';
import { makeBenchStateDir, ROOT, spawnGateway, stopChild, waitForListening } from './bench-processes.js';
import { median, now, round } from './latency-stats.js';

const RUNS = 9;

/** ms from spawn to exit (which must be 0). */
function timed(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve(now() - started) : reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

async function medianOf(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  await timed(args, env); // warm the file cache
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await timed(args, env));
  return round(median(samples), 1);
}

export async function run(): Promise<BenchResult[]> {
  const stateDir = makeBenchStateDir();
  const { child } = spawnGateway(stateDir);
  const stop = stopChild(child, () => rmSync(stateDir, { recursive: true, force: true }));
  try {
    await waitForListening(child);
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('OPENCLAW_')) env[key] = value;
    // As an installed package runs: no look at whether the sources are newer than the bundle.
    env.OPENCLAW_SKIP_REBUILD = '1';
    env.OPENCLAW_STATE_DIR = stateDir;
    const bin = join(ROOT, 'bin/openclaw.js');
    const node = await medianOf(['-e', '0'], env);
    const version = await medianOf([bin, '--version'], env);
    const health = await medianOf([bin, 'gateway', 'call', 'health', '--json'], env);
    const checkout = await medianOf([bin, '--version'], { ...env, OPENCLAW_SKIP_REBUILD: '0' });
    return [
      { name: 'openclaw --version, spawn to exit', value: version, unit: 'ms', baseline: node, target: '≤ node -e 0 + 100 ms', pass: version <= node + 100 },
      { name: 'openclaw gateway call health (connect, call, exit)', value: health, unit: 'ms', baseline: node, target: '≤ node -e 0 + 300 ms', pass: health <= node + 300 },
      { name: 'openclaw --version in a source checkout (staleness scan)', value: checkout, unit: 'ms', baseline: version },
    ];
  } finally {
    await stop();
  }
}

// Time of a full codegen run as a developer sees it (`tsx codegen/main.ts --check`: start-up,
// loading the contract, emitting and comparing every file), and of generate() alone.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { BenchResult } from './bench-result.js';
import { ROOT } from './bench-processes.js';
import { median, now, round } from './latency-stats.js';

const RUNS = 3;

export async function run(): Promise<BenchResult[]> {
  const full: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = now();
    // Exit 1 only means generated/ is stale (someone is mid-edit); the run itself is what is timed.
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'codegen/main.ts'), '--check'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0 && r.status !== 1) throw new Error(`codegen failed:\n${r.stderr}`);
    full.push(now() - t);
  }
  const { generate } = await import('../codegen/main.js');
  generate(); // first call loads ts-morph and the contract
  const inProcess: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = now();
    generate();
    inProcess.push(now() - t);
  }
  const fullMs = median(full);
  return [
    { name: 'codegen full run (tsx codegen/main.ts --check)', value: round(fullMs, 0), unit: 'ms', target: '< 3000 ms', pass: fullMs < 3000 },
    { name: 'codegen generate() in a warm process', value: round(median(inProcess), 0), unit: 'ms' },
  ];
}

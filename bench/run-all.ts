// `npm run bench`: runs every bench/*.ts that exports `run(): Promise<BenchResult[]>` (or only
// the ones named on the command line) and prints one table with targets and pass/fail.
import { readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchModule, BenchResult } from './bench-result.js';
import { ROOT } from './bench-processes.js';

const SELF = new Set(['run-all.ts', 'bench-result.ts']);

function formatNumber(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '';
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : String(value);
}

function printTable(rows: (BenchResult & { bench: string })[]): void {
  const cells = rows.map((r) => [
    r.bench,
    r.name,
    `${formatNumber(r.value)} ${r.unit}`,
    r.baseline === undefined ? '' : `${formatNumber(r.baseline)} ${r.unit}`,
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'pass' : 'FAIL',
  ]);
  const header = ['bench', 'measurement', 'value', 'baseline', 'target', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string => c.map((v, i) => (i === 2 || i === 3 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const c of cells) console.log(line(c));
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const dir = join(ROOT, 'bench');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !SELF.has(f))
    .filter((f) => only.length === 0 || only.includes(basename(f, '.ts')))
    .sort();
  const rows: (BenchResult & { bench: string })[] = [];
  const broken: string[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') continue; // a helper module, not a bench
    const bench = basename(file, '.ts');
    process.stdout.write(`running ${bench} …\n`);
    const started = performance.now();
    try {
      const results = await mod.run();
      for (const r of results) rows.push({ ...r, bench });
      process.stdout.write(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    } catch (error) {
      broken.push(bench);
      process.stdout.write(`  ${bench} failed: ${(error as Error).stack ?? String(error)}\n`);
    }
  }
  printTable(rows);
  // Timings depend on what else the machine is doing; say so next to the numbers.
  const [one, five] = loadavg();
  console.log(`\nmachine: ${cpus().length} CPUs, load average ${one!.toFixed(2)} (1 min) ${five!.toFixed(2)} (5 min), node ${process.version}`);
  const missed = rows.filter((r) => r.pass === false);
  console.log(`${rows.length} measurements, ${rows.filter((r) => r.pass).length} targets met, ${missed.length} missed${broken.length ? `, ${broken.length} bench(es) failed: ${broken.join(', ')}` : ''}`);
  if (missed.length || broken.length) process.exitCode = 1;
}

await main();

// Exec tool overhead: the exec tool's time for `true` (policy check, cwd and environment, bash -c
// in its own process group, capture) minus a direct child_process spawn of `true`, p50 over 200
// interleaved runs; and the policy check of a 20-command pipeline, p50 over 500 runs.
// Run: node --import tsx bench/run-all.ts exec-overhead
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SAFE_BINS } from '../server/exec/command-kinds.js';
import { clearExecutableCache } from '../server/exec/executable-resolver.js';
import { evaluateExecCommand, type ExecPolicy } from '../server/exec/exec-policy.js';
import { createGateway } from '../server/gateway.js';
import type { BenchResult } from './bench-result.js';
import { now, percentile, round } from './latency-stats.js';

const RUNS = 200;
const CHECKS = 500;

function spawnTrue(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/true', [], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', () => resolve());
  });
}

export async function run(): Promise<BenchResult[]> {
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-exec-'));
  writeFileSync(join(stateDir, 'openclaw.json'), JSON.stringify({ gateway: { auth: { token: 'bench-token-0123456789' } } }));
  const gateway = await createGateway({ stateDir, port: 0, env: { ...process.env, OPENCLAW_GATEWAY_TOKEN: '', OPENCLAW_STATE_DIR: '', OPENCLAW_CONFIG_PATH: '' } });
  const tools = gateway.services.agents.tools;
  const subject = { agentId: 'main', caller: { kind: 'internal' as const } };
  const tool: number[] = [];
  const direct: number[] = [];
  try {
    for (let i = 0; i < 20; i++) {
      await tools.invoke('exec', { command: 'true' }, subject);
      await spawnTrue();
    }
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so load on the machine hits both alike.
      let t = now();
      await tools.invoke('exec', { command: 'true' }, subject);
      tool.push(now() - t);
      t = now();
      await spawnTrue();
      direct.push(now() - t);
    }
  } finally {
    await gateway.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }

  const workspace = mkdtempSync(join(tmpdir(), 'bench-exec-ws-'));
  const policy: ExecPolicy = { security: 'allowlist', ask: 'on-miss', askFallback: 'deny', allowlist: [], denylist: [], safeBins: DEFAULT_SAFE_BINS };
  const ctx = { cwd: workspace, workspace, pathEnv: process.env.PATH ?? '/usr/bin:/bin' };
  const cmds = ['cat notes.txt', 'grep -n TODO', 'cut -d: -f1', 'tr a-z A-Z', 'head -n 50', 'tail -n 20', 'wc -l', 'nl', 'tac', 'grep -v x'];
  const pipeline = Array.from({ length: 20 }, (_, i) => cmds[i % cmds.length]).join(' | ');
  const warm: number[] = [];
  const cold: number[] = [];
  for (let i = 0; i < 50; i++) evaluateExecCommand(pipeline, policy, ctx);
  for (let i = 0; i < CHECKS; i++) {
    let t = now();
    const verdict = evaluateExecCommand(pipeline, policy, ctx);
    warm.push(now() - t);
    if (verdict.decision !== 'allow') throw new Error(`the bench pipeline should be allowed: ${verdict.reason}`);
    clearExecutableCache();
    t = now();
    evaluateExecCommand(pipeline, policy, ctx);
    cold.push(now() - t);
  }
  rmSync(workspace, { recursive: true, force: true });

  const toolP50 = percentile(tool, 0.5);
  const directP50 = percentile(direct, 0.5);
  const overhead = toolP50 - directP50;
  const check = percentile(warm, 0.5);
  return [
    { name: 'exec tool `true` minus direct spawn (p50)', value: round(overhead), unit: 'ms', target: '≤ 5 ms', baseline: round(directP50), pass: overhead <= 5 },
    { name: 'exec tool `true` (p50)', value: round(toolP50), unit: 'ms' },
    { name: 'policy check, 20-command pipeline (p50)', value: round(check, 3), unit: 'ms', target: '≤ 1 ms', pass: check <= 1 },
    { name: 'policy check, 20-command pipeline, PATH cache cold (p50)', value: round(percentile(cold, 0.5), 3), unit: 'ms' },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(r);
}

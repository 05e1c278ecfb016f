// Commands started with `background: true`: they outlive the tool call (not the gateway), keep the
// newest part of their output for polling, and are bounded in number — running ones by
// tools.exec.maxBackground, finished ones kept for polling up to a fixed count.
import { randomUUID } from 'node:crypto';
import { startCommand, type RunResult, type RunSpec, type RunningCommand } from './exec-runner.js';

/** The newest `max` characters of a stream, with absolute offsets for polling. */
class OutputTail {
  private text = '';
  private start = 0;
  constructor(private readonly max: number) {}
  push(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.max) {
      const cut = this.text.length - this.max;
      this.text = this.text.slice(cut);
      this.start += cut;
    }
  }
  get end(): number {
    return this.start + this.text.length;
  }
  /** Text from `offset` on; `skipped` counts characters no longer kept. */
  since(offset: number): { text: string; skipped: number } {
    const from = Math.max(offset, this.start);
    return { text: this.text.slice(from - this.start), skipped: from - offset };
  }
}

interface BackgroundProcess {
  readonly id: string;
  readonly agentId: string;
  readonly command: string;
  readonly cwd: string;
  readonly startedAt: number;
  readonly running: RunningCommand;
  readonly stdout: OutputTail;
  readonly stderr: OutputTail;
  result?: RunResult;
  endedAt?: number;
}

export interface ProcessSummary {
  readonly processId: string;
  readonly command: string;
  readonly cwd: string;
  readonly status: 'running' | 'exited' | 'killed' | 'timed_out';
  readonly pid: number | undefined;
  readonly startedAt: number;
  readonly endedAt?: number;
  readonly exitCode?: number | null;
}

const MAX_KEPT_FINISHED = 32;

export class BackgroundProcesses {
  private readonly processes = new Map<string, BackgroundProcess>();

  constructor(private readonly maxRunning: () => number) {}

  runningCount(): number {
    return [...this.processes.values()].filter((p) => !p.result).length;
  }

  start(agentId: string, command: string, spec: Omit<RunSpec, 'onOutput' | 'signal'>): ProcessSummary {
    const limit = this.maxRunning();
    if (this.runningCount() >= limit) {
      throw new Error(`${limit} background processes are running already (tools.exec.maxBackground); kill one with the process tool first`);
    }
    const stdout = new OutputTail(spec.maxOutputChars);
    const stderr = new OutputTail(spec.maxOutputChars);
    const running = startCommand({ ...spec, onOutput: (stream, text) => (stream === 'stdout' ? stdout : stderr).push(text) });
    const entry: BackgroundProcess = { id: `proc_${randomUUID().slice(0, 12)}`, agentId, command, cwd: spec.cwd, startedAt: Date.now(), running, stdout, stderr };
    this.processes.set(entry.id, entry);
    void running.done.then((result) => {
      entry.result = result;
      entry.endedAt = Date.now();
      this.prune();
    });
    return this.summary(entry);
  }

  list(agentId: string): ProcessSummary[] {
    return [...this.processes.values()].filter((p) => p.agentId === agentId).map((p) => this.summary(p));
  }

  poll(agentId: string, id: string, offsets: { stdout?: number; stderr?: number }): ProcessSummary & { stdout: string; stderr: string; next: { stdout: number; stderr: number }; skipped?: { stdout: number; stderr: number } } {
    const entry = this.own(agentId, id);
    const out = entry.stdout.since(offsets.stdout ?? 0);
    const err = entry.stderr.since(offsets.stderr ?? 0);
    return {
      ...this.summary(entry),
      stdout: out.text,
      stderr: err.text,
      next: { stdout: entry.stdout.end, stderr: entry.stderr.end },
      ...(out.skipped || err.skipped ? { skipped: { stdout: out.skipped, stderr: err.skipped } } : {}),
    };
  }

  async kill(agentId: string, id: string): Promise<ProcessSummary> {
    const entry = this.own(agentId, id);
    if (!entry.result) {
      entry.running.kill('abort');
      await entry.running.done;
    }
    return this.summary(entry);
  }

  /** Ends every process (gateway shutdown) and waits, bounded, for them to go. */
  async shutdown(): Promise<void> {
    const running = [...this.processes.values()].filter((p) => !p.result);
    for (const p of running) p.running.kill('shutdown');
    await Promise.race([Promise.all(running.map((p) => p.running.done)), new Promise((r) => setTimeout(r, 3_000).unref?.())]);
  }

  private own(agentId: string, id: string): BackgroundProcess {
    const entry = this.processes.get(id);
    if (!entry || entry.agentId !== agentId) throw new Error(`no background process ${id} for this agent; the process tool's list action shows them`);
    return entry;
  }

  private summary(p: BackgroundProcess): ProcessSummary {
    const status = !p.result ? 'running' : p.result.timedOut ? 'timed_out' : p.result.aborted ? 'killed' : 'exited';
    return {
      processId: p.id,
      command: p.command,
      cwd: p.cwd,
      status,
      pid: p.running.pid,
      startedAt: p.startedAt,
      ...(p.endedAt !== undefined ? { endedAt: p.endedAt } : {}),
      ...(p.result ? { exitCode: p.result.exitCode } : {}),
    };
  }

  private prune(): void {
    const finished = [...this.processes.values()].filter((p) => p.result).sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0));
    for (const p of finished.slice(0, Math.max(0, finished.length - MAX_KEPT_FINISHED))) this.processes.delete(p.id);
  }
}

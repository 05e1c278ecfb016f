// system.run on the node host: the node's own exec policy (exec-approvals.json in its state dir,
// the same evaluator as the gateway's exec tool) decides allow, ask or deny, on the node. "Ask"
// answers APPROVAL_REQUIRED with the plan; the gateway asks its approvers and sends the command
// again with the decision. The command runs in its own process group with the node's secrets
// removed from its environment, within a time limit and an output cap.
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { ServeError } from '../../clients/runtime/request-serving.js';
import { scrubEnvironment } from '../exec/exec-env.js';
import { evaluateExecArgv, shellQuote } from '../exec/exec-policy.js';
import { addAllowlistRules, type ExecPolicyStore } from '../exec/exec-policy-file.js';
import { resolveExecPolicy } from '../exec/exec-policy-resolve.js';
import { startCommand } from '../exec/exec-runner.js';

export interface SystemRunParams {
  readonly command?: unknown;
  readonly rawCommand?: unknown;
  readonly cwd?: unknown;
  readonly env?: unknown;
  readonly timeoutMs?: unknown;
  readonly agentId?: unknown;
  readonly sessionKey?: unknown;
  readonly approved?: unknown;
  readonly approvalDecision?: unknown;
  readonly runId?: unknown;
}

export interface SystemRunDeps {
  readonly policy: ExecPolicyStore;
  /** Where commands start unless they name a cwd; the read-only default binaries stay inside it. */
  readonly workdir: string;
  /** Values never handed to a command (the node's gateway token). */
  readonly secrets: ReadonlySet<string>;
  readonly maxOutputChars: number;
  readonly defaultTimeoutMs: number;
  /** exec.started / exec.finished / exec.denied for the gateway's log. */
  event(name: string, payload: Record<string, unknown>): void;
}

/** Variables a caller may not set: they change what runs or how programs load. */
const BLOCKED_ENV = /^(?:PATH|NODE_OPTIONS|PYTHONHOME|PYTHONPATH|PERL5LIB|PERL5OPT|RUBYOPT|BASH_ENV|ENV|SHELLOPTS|IFS|LD_.*|DYLD_.*)$/i;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value : undefined);

export async function systemRun(params: SystemRunParams, signal: AbortSignal, deps: SystemRunDeps): Promise<Record<string, unknown>> {
  if (!Array.isArray(params.command) || params.command.length === 0 || !params.command.every((a) => typeof a === 'string')) {
    throw new ServeError('INVALID_REQUEST', 'command must be a non-empty argv array of strings, e.g. ["ls", "-la"]');
  }
  const argv = params.command as string[];
  const agentId = text(params.agentId) ?? 'main';
  const sessionKey = text(params.sessionKey) ?? null;
  const workspace = realpathSync(deps.workdir);
  const cwd = text(params.cwd) ?? workspace;
  const overrides: Record<string, string> = {};
  if (params.env && typeof params.env === 'object') {
    for (const [key, value] of Object.entries(params.env as Record<string, unknown>)) {
      if (typeof value !== 'string') continue;
      if (BLOCKED_ENV.test(key)) throw new ServeError('INVALID_REQUEST', `env.${key} cannot be set for system.run`);
      overrides[key] = value;
    }
  }
  const base = scrubEnvironment(process.env, deps.secrets).env;
  const env = Object.assign(base, overrides);
  const commandText = argv.map(shellQuote).join(' ');
  const policy = resolveExecPolicy(deps.policy.read(), {}, agentId);
  const verdict = evaluateExecArgv(argv, policy, { cwd, workspace, pathEnv: env.PATH ?? '', home: homedir(), envKeys: Object.keys(overrides) });
  const runId = text(params.runId) ?? null;
  const eventBase = { sessionKey, runId, host: 'node', command: commandText };
  if (verdict.decision === 'deny') {
    deps.event('exec.denied', { ...eventBase, reason: verdict.reason });
    throw new ServeError('SYSTEM_RUN_DENIED', `SYSTEM_RUN_DENIED: ${verdict.reason}`);
  }
  const decision = params.approved === true && (params.approvalDecision === 'allow-once' || params.approvalDecision === 'allow-always') ? params.approvalDecision : undefined;
  if (verdict.decision === 'ask' && !decision) {
    deps.event('exec.denied', { ...eventBase, reason: 'approval-required' });
    const reasons = [...verdict.checks.filter((c) => c.outcome !== 'allow').map((c) => `${c.text}: ${c.reason}`), ...verdict.findings.map((f) => `${f.text}: ${f.reason}`)];
    const payload: Record<string, unknown> = {
      systemRunPlan: { argv, cwd, commandText, agentId, sessionKey },
      reasons,
      security: policy.security,
      ask: policy.ask,
    };
    if (verdict.resolvedPath) payload.resolvedPath = verdict.resolvedPath;
    throw new ServeError('APPROVAL_REQUIRED', `SYSTEM_RUN_DENIED: approval required (${verdict.reason})`, payload);
  }
  if (decision === 'allow-always' && verdict.decision === 'ask' && verdict.allowAlways) {
    try {
      addAllowlistRules(deps.policy, agentId, verdict.rules, commandText);
    } catch {
      // the command still runs this once; the rule is retried the next time
    }
  }
  const timeoutMs = typeof params.timeoutMs === 'number' && params.timeoutMs > 0 ? Math.min(params.timeoutMs, 86_400_000) : deps.defaultTimeoutMs;
  deps.event('exec.started', eventBase);
  const direct = verdict.directArgv;
  const running = startCommand({
    ...(direct ? { file: direct[0]!, argv: [argv[0]!, ...direct.slice(1)] } : { shell: commandText }),
    cwd,
    env,
    timeoutMs,
    maxOutputChars: deps.maxOutputChars,
    signal,
  });
  const result = await running.done;
  const success = result.exitCode === 0 && !result.timedOut && !result.aborted;
  deps.event('exec.finished', { ...eventBase, exitCode: result.exitCode, timedOut: result.timedOut, success });
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    timedOut: result.timedOut,
    success,
    stdout: result.stdout,
    stderr: result.stderr,
    truncated: result.truncated.stdout > 0 || result.truncated.stderr > 0,
    durationMs: result.durationMs,
  };
}

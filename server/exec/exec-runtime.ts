// What the exec and process tools run on: the effective policy of an agent, the working
// directory and environment of a command, the approvals, and the children in flight.
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import type { EventHub } from '../core/event-hub.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import type { ToolCallContext } from '../tools/tool-types.js';
import type { CommandRule } from './allowlist-match.js';
import type { ExecApprovalManager } from './approval-manager.js';
import { hasApprover } from './approver-presence.js';
import { BackgroundProcesses, type ProcessSummary } from './background-processes.js';
import { resolveCwd } from './exec-cwd.js';
import { configSecrets, scrubEnvironment } from './exec-env.js';
import { evaluateExecCommand, type ExecPolicy, type ExecVerdict } from './exec-policy.js';
import { addAllowlistRules, type ExecPolicyStore } from './exec-policy-file.js';
import { execToolConfig, resolveExecPolicy } from './exec-policy-resolve.js';
import { startCommand, type RunResult, type RunningCommand } from './exec-runner.js';
import type { ExecArgs } from './exec-tool.js';

export const DEFAULT_TIMEOUT_SEC = 300;
export const DEFAULT_APPROVAL_TIMEOUT_MS = 1_800_000;
export const DEFAULT_MAX_OUTPUT_CHARS = 100_000;
export const DEFAULT_MAX_BACKGROUND = 8;

export type PreparedExec =
  | {
      readonly ok: true;
      readonly command: string;
      readonly cwd: string;
      readonly env: Record<string, string>;
      readonly timeoutMs: number;
      readonly maxOutputChars: number;
      readonly policy: ExecPolicy;
      readonly verdict: ExecVerdict;
      readonly directArgv: readonly string[] | undefined;
    }
  | { readonly ok: false; readonly reason: string; readonly configKey?: string };

export interface ExecRuntimeDeps {
  readonly config: () => OpenClawConfig;
  readonly env: NodeJS.ProcessEnv;
  readonly hub: EventHub;
  readonly logger: GatewayLogger;
  readonly policyStore: ExecPolicyStore;
  readonly approvals: ExecApprovalManager;
  readonly workspaceOf: (agentId: string) => string;
}

export class ExecRuntime {
  readonly approvals: ExecApprovalManager;
  readonly background: BackgroundProcesses;
  private readonly foreground = new Set<RunningCommand>();

  constructor(private readonly deps: ExecRuntimeDeps) {
    this.approvals = deps.approvals;
    this.background = new BackgroundProcesses(() => execToolConfig(deps.config(), '').maxBackground ?? DEFAULT_MAX_BACKGROUND);
  }

  policyFor(agentId: string): ExecPolicy {
    return resolveExecPolicy(this.deps.policyStore.read(), this.deps.config(), agentId);
  }

  prepare(args: ExecArgs, ctx: Pick<ToolCallContext, 'agentId'>): PreparedExec {
    const config = this.deps.config();
    const tool = execToolConfig(config, ctx.agentId);
    const place = resolveCwd(args.cwd, this.deps.workspaceOf(ctx.agentId), tool.allowedCwds ?? []);
    if (!place.ok) return place.configKey ? { ok: false, reason: place.reason, configKey: place.configKey } : { ok: false, reason: place.reason };
    const scrubbed = scrubEnvironment(this.deps.env, configSecrets(config, this.deps.env), tool.envPassthrough ?? []);
    const env = { ...scrubbed.env, ...args.env };
    const policy = this.policyFor(ctx.agentId);
    const verdict = evaluateExecCommand(args.command, policy, {
      cwd: place.cwd,
      workspace: place.workspace,
      pathEnv: env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      home: env.HOME,
      envKeys: args.env ? Object.keys(args.env) : [],
    });
    return {
      ok: true,
      command: args.command,
      cwd: place.cwd,
      env,
      timeoutMs: args.timeoutMs ?? (tool.timeoutSec ?? DEFAULT_TIMEOUT_SEC) * 1000,
      maxOutputChars: tool.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS,
      policy,
      verdict,
      // A plain command given extra variables still runs directly; env is passed either way.
      directArgv: verdict.directArgv,
    };
  }

  hasApprover(): boolean {
    return hasApprover(this.deps.hub);
  }

  approvalTimeoutMs(agentId: string): number {
    return execToolConfig(this.deps.config(), agentId).approvalTimeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS;
  }

  /** "Allow always": the rules go into the agent's allowlist in exec-approvals.json. */
  addRules(agentId: string, rules: readonly CommandRule[], command: string): void {
    try {
      addAllowlistRules(this.deps.policyStore, agentId, rules, command);
    } catch (error) {
      this.deps.logger.error('allow-always rule could not be saved; the command runs this once', { agentId, error: (error as Error).message });
    }
  }

  async runForeground(plan: Extract<PreparedExec, { ok: true }>, signal: AbortSignal, onOutput?: (stream: 'stdout' | 'stderr', text: string) => void): Promise<RunResult> {
    const running = startCommand({
      ...(plan.directArgv ? { file: plan.directArgv[0]!, argv: [plan.directArgv[0]!, ...plan.directArgv.slice(1)] } : { shell: plan.command }),
      cwd: plan.cwd,
      env: plan.env,
      timeoutMs: plan.timeoutMs,
      maxOutputChars: plan.maxOutputChars,
      signal,
      ...(onOutput ? { onOutput } : {}),
    });
    this.foreground.add(running);
    try {
      return await running.done;
    } finally {
      this.foreground.delete(running);
    }
  }

  startBackground(plan: Extract<PreparedExec, { ok: true }>, agentId: string): ProcessSummary & { status: 'running' } {
    const summary = this.background.start(agentId, plan.command, {
      ...(plan.directArgv ? { file: plan.directArgv[0]!, argv: [...plan.directArgv] } : { shell: plan.command }),
      cwd: plan.cwd,
      env: plan.env,
      timeoutMs: plan.timeoutMs,
      maxOutputChars: plan.maxOutputChars,
    });
    return { ...summary, status: 'running' };
  }

  /** Ends every child (foreground and background) and waits, bounded, for them. */
  async shutdown(): Promise<void> {
    const running = [...this.foreground];
    for (const r of running) r.kill('shutdown');
    await Promise.all([
      this.background.shutdown(),
      Promise.race([Promise.all(running.map((r) => r.done)), new Promise((resolve) => setTimeout(resolve, 3_000).unref?.())]),
    ]);
  }
}

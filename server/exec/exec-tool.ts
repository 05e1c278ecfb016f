// The `exec` agent tool: checks the command against the exec policy (authorize), asks the
// approvers when it misses (the run waits on the approval), then runs it in the agent's workspace
// with a scrubbed environment, streaming its output as tool updates, or in the background.
import { z } from 'zod';
import type { ApprovalDecision, ExecApprovalRequest } from '../../contract/schemas/exec-approvals.js';
import type { ToolAsk, ToolAuthorization, ToolCallContext, ToolDefinition } from '../tools/tool-types.js';
import { EXPIRED_REASON_TEXT, type ExpiredReason } from './approval-record.js';
import type { ExecRuntime, PreparedExec } from './exec-runtime.js';

export const ExecArgs = z.strictObject({
  command: z.string().min(1).max(32_768).describe('The shell command line (bash).'),
  cwd: z.string().min(1).max(4_096).optional().describe("Working directory; default the agent's workspace. Relative paths are inside it."),
  env: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/), z.string().max(32_768))
    .refine((env) => Object.keys(env).length <= 64, 'at most 64 variables')
    .optional()
    .describe('Extra environment variables.'),
  timeoutMs: z.number().int().min(100).max(86_400_000).optional().describe('Kill the command after this long (default tools.exec.timeoutSec, 300 s).'),
  background: z.boolean().optional().describe('Start it and return a processId at once; follow it with the process tool.'),
});
export type ExecArgs = z.infer<typeof ExecArgs>;

const UPDATE_EVERY_MS = 100;
const MAX_UPDATE_CHARS = 16_384;

export function execToolDefinition(rt: ExecRuntime): ToolDefinition<ExecArgs> {
  const prepared = new WeakMap<ExecArgs, PreparedExec>();
  return {
    name: 'exec',
    label: 'Run a shell command',
    group: 'exec',
    dangerous: true,
    description:
      "Runs a bash command line on the gateway's machine, in the agent's workspace, and returns exit code, stdout, stderr and duration. Read-only commands inside the workspace run at once; others may wait for an operator's approval. Use background: true for long-running commands and the process tool to follow them.",
    parameters: ExecArgs,
    authorize: (args, ctx) => {
      const plan = rt.prepare(args, ctx);
      prepared.set(args, plan);
      return authorize(rt, plan, args, ctx);
    },
    run: async (args, ctx) => {
      const plan = prepared.get(args) ?? rt.prepare(args, ctx);
      if (!plan.ok) throw new Error(plan.reason);
      if (args.background) return rt.startBackground(plan, ctx.agentId);
      return runForeground(rt, plan, ctx);
    },
  };
}

function authorize(rt: ExecRuntime, plan: PreparedExec, args: ExecArgs, ctx: ToolCallContext): ToolAuthorization {
  if (!plan.ok) return plan.configKey ? { outcome: 'deny', reason: plan.reason, configKey: plan.configKey } : { outcome: 'deny', reason: plan.reason };
  const { verdict, policy } = plan;
  if (verdict.decision === 'allow') return { outcome: 'allow' };
  if (verdict.decision === 'deny') return { outcome: 'deny', reason: `exec denied: ${verdict.reason}`, configKey: 'exec-approvals.json' };
  if (!rt.hasApprover()) {
    const clean = verdict.checks.every((c) => c.outcome === 'allow') && verdict.findings.length === 0;
    const allowed = policy.askFallback === 'full' || (policy.askFallback === 'allowlist' && clean);
    const reason = `needs approval (${verdict.reason}) and no approver is connected; askFallback "${policy.askFallback}" ${allowed ? 'allows' : 'denies'} it`;
    rt.approvals.logFallback(args.command, ctx.agentId, ctx.sessionKey, allowed ? 'allow' : 'deny', reason);
    return allowed ? { outcome: 'allow' } : { outcome: 'deny', reason: `exec ${reason}. Connect an approver (operator.approvals) or change askFallback in exec-approvals.json.`, configKey: 'exec-approvals.json' };
  }
  const allowedDecisions: ApprovalDecision[] = verdict.allowAlways ? ['allow-once', 'allow-always', 'deny'] : ['allow-once', 'deny'];
  const request: ExecApprovalRequest = {
    command: args.command,
    commandPreview: args.command.length > 200 ? `${args.command.slice(0, 197)}…` : args.command,
    ...(plan.directArgv ? { commandArgv: [...plan.directArgv] } : {}),
    ...(args.env ? { envKeys: Object.keys(args.env).sort() } : {}),
    systemRunBinding: null,
    systemRunPlan: null,
    cwd: plan.cwd,
    nodeId: null,
    host: 'gateway',
    security: policy.security,
    ask: policy.ask,
    allowedDecisions,
    agentId: ctx.agentId,
    resolvedPath: verdict.resolvedPath ?? null,
    sessionKey: ctx.sessionKey ?? null,
    turnSourceChannel: null,
    turnSourceTo: null,
    turnSourceAccountId: null,
    turnSourceThreadId: null,
    reasons: [...verdict.checks.filter((c) => c.outcome !== 'allow').map((c) => `${c.text}: ${c.reason}`), ...verdict.findings.map((f) => (f.text ? `${f.text}: ${f.reason}` : f.reason))],
    runId: ctx.runId ?? null,
    toolCallId: ctx.toolCallId,
  };
  const timeoutMs = rt.approvalTimeoutMs(ctx.agentId);
  const owner = { kind: 'tool' as const, agentId: ctx.agentId, toolCallId: ctx.toolCallId, ...(ctx.runId ? { runId: ctx.runId } : {}), ...(ctx.sessionKey ? { sessionKey: ctx.sessionKey } : {}), ...(ctx.caller.id ? { connId: ctx.caller.id } : {}) };
  const record = rt.approvals.create({ request, timeoutMs, owner, ...(verdict.allowAlways ? { rules: [...verdict.rules] } : {}) });
  const ask: ToolAsk = {
    id: record.id,
    summary: request.commandPreview!,
    // The approval's own expiry decides; this is only a backstop.
    timeoutMs: timeoutMs + 5_000,
    onTimeout: 'deny',
    wait: async (signal) => {
      let settled;
      try {
        settled = await rt.approvals.wait(record.id, signal);
      } catch (error) {
        rt.approvals.expire(record.id, 'run-aborted');
        throw error;
      }
      if (settled.status === 'allowed') {
        if (settled.decision === 'allow-always' && settled.rules) rt.addRules(ctx.agentId, settled.rules, args.command);
        return { outcome: 'allow' };
      }
      if (settled.status === 'denied') return { outcome: 'deny', reason: `exec approval ${record.id} was denied by ${settled.resolvedBy ?? 'an operator'}; the command did not run` };
      const why = EXPIRED_REASON_TEXT[(settled.expiredReason ?? 'timeout') as ExpiredReason] ?? settled.expiredReason;
      return { outcome: 'deny', reason: `exec approval ${record.id} expired (${why}); the command did not run` };
    },
  };
  return { outcome: 'ask', ask };
}

async function runForeground(rt: ExecRuntime, plan: Extract<PreparedExec, { ok: true }>, ctx: ToolCallContext): Promise<unknown> {
  const pending = { stdout: '', stderr: '' };
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    timer = undefined;
    if (!pending.stdout && !pending.stderr) return;
    const update = { status: 'running', stdout: pending.stdout.slice(0, MAX_UPDATE_CHARS), stderr: pending.stderr.slice(0, MAX_UPDATE_CHARS) };
    pending.stdout = '';
    pending.stderr = '';
    ctx.onUpdate?.(update);
  };
  const result = await rt.runForeground(plan, ctx.signal, ctx.onUpdate ? (stream, text) => {
    if (pending[stream].length < MAX_UPDATE_CHARS) pending[stream] += text;
    timer ??= setTimeout(flush, UPDATE_EVERY_MS);
  } : undefined);
  clearTimeout(timer);
  flush();
  if (result.aborted && ctx.signal.aborted) throw new Error('the command was killed because the run was aborted');
  return {
    exitCode: result.exitCode,
    ...(result.signal ? { signal: result.signal } : {}),
    stdout: result.stdout,
    stderr: result.stderr,
    durationMs: result.durationMs,
    cwd: plan.cwd,
    ...(result.timedOut ? { timedOut: true } : {}),
    ...(result.truncated.stdout || result.truncated.stderr ? { truncated: result.truncated } : {}),
  };
}

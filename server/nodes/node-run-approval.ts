// system.run on a node: the node host checks the command against its own exec policy; when that
// says "ask", it answers APPROVAL_REQUIRED with the plan (argv, cwd, why). The gateway then asks
// the approvers for the node — exec.approval.request (host node) through an in-process caller, so
// it is the same request, event and decision log as any other — and sends the command again with
// the decision, which the node checks before running it.
import type { SystemRunPlan } from '../../contract/schemas/exec-approvals.js';
import type { z } from 'zod';
import { GatewayError } from '../core/gateway-error.js';
import type { InProcessCaller } from '../core/in-process-caller.js';
import type { GatewayRuntime } from '../gateway-runtime.js';

type Plan = z.infer<typeof SystemRunPlan>;

/** What a node sends along with APPROVAL_REQUIRED (in the payload of its failed node.invoke.result). */
export interface ApprovalRequiredPayload {
  readonly systemRunPlan: Plan;
  readonly reasons?: readonly string[];
  readonly resolvedPath?: string;
  readonly security?: string;
  readonly ask?: string;
}

/** The plan of a node's APPROVAL_REQUIRED answer, when `error` is one. */
export function approvalRequiredPlan(error: unknown): ApprovalRequiredPayload | undefined {
  if (!(error instanceof GatewayError) || error.details?.code !== 'NODE_INVOKE_FAILED') return undefined;
  const nodeError = error.details.nodeError as { code?: string } | undefined;
  const payload = error.details.nodePayload as Partial<ApprovalRequiredPayload> | undefined;
  if (nodeError?.code !== 'APPROVAL_REQUIRED' || !payload?.systemRunPlan || !Array.isArray(payload.systemRunPlan.argv)) return undefined;
  return payload as ApprovalRequiredPayload;
}

export class NodeRunApprovals {
  private caller: InProcessCaller | undefined;

  constructor(private readonly rt: GatewayRuntime) {}

  async ask(nodeId: string, asked: ApprovalRequiredPayload, timeoutMs: number, signal: AbortSignal): Promise<{ id: string; decision: 'allow-once' | 'allow-always' }> {
    this.caller ??= this.rt.createCaller({ id: 'nodes:approvals', scopes: ['operator.approvals'], client: { displayName: 'node router' } });
    const plan = asked.systemRunPlan;
    const params: Record<string, unknown> = {
      host: 'node',
      nodeId,
      systemRunPlan: plan,
      command: plan.commandText,
      commandArgv: plan.argv,
      timeoutMs: Math.max(1, Math.min(timeoutMs, 7 * 86_400_000)),
    };
    if (plan.cwd) params.cwd = plan.cwd;
    if (plan.agentId) params.agentId = plan.agentId;
    if (plan.sessionKey) params.sessionKey = plan.sessionKey;
    if (asked.resolvedPath) params.resolvedPath = asked.resolvedPath;
    if (asked.security) params.security = asked.security;
    if (asked.ask) params.ask = asked.ask;
    const result = await this.caller.call('exec.approval.request', params, { signal });
    if (result.decision === 'allow-once' || result.decision === 'allow-always') return { id: result.id, decision: result.decision };
    const why = result.decision === 'deny' ? 'the approver denied it' : 'no approver answered in time (or none is connected)';
    throw new GatewayError('FORBIDDEN', `system.run on node ${nodeId} was not approved: ${why}`, {
      details: { code: 'SYSTEM_RUN_DENIED', approvalId: result.id, decision: result.decision, reasons: asked.reasons ?? [] },
    });
  }

  close(): void {
    this.caller?.close();
  }
}

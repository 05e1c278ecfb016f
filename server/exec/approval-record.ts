// One approval request as this gateway keeps it: the request shown to approvers, its state, who
// decided and when, and who is waiting for it (an exec tool call of a run, or a client).
import { z } from 'zod';
import { APPROVAL_STATUSES, ApprovalDecision, ExecApprovalRequest } from '../../contract/schemas/exec-approvals.js';

export const ApprovalOwner = z.object({
  /** `tool`: an exec call of an agent run (it cannot outlive the process); `client`: exec.approval.request. */
  kind: z.enum(['tool', 'client']),
  /** The gateway process that created it. */
  epoch: z.string(),
  connId: z.string().optional(),
  runId: z.string().optional(),
  sessionKey: z.string().optional(),
  agentId: z.string().optional(),
  toolCallId: z.string().optional(),
});

export const ApprovalRecord = z.object({
  id: z.string(),
  request: ExecApprovalRequest,
  createdAtMs: z.number(),
  expiresAtMs: z.number(),
  status: z.enum(APPROVAL_STATUSES),
  decision: ApprovalDecision.nullable(),
  resolvedAtMs: z.number().nullable(),
  resolvedBy: z.string().nullable(),
  expiredReason: z.string().nullable(),
  owner: ApprovalOwner,
  /** What "allow always" adds to the allowlist. */
  rules: z.array(z.object({ pattern: z.string(), argPattern: z.string().optional() })).optional(),
});
export type ApprovalRecord = z.infer<typeof ApprovalRecord>;
export type ApprovalOwner = z.infer<typeof ApprovalOwner>;

export type ExpiredReason = 'timeout' | 'run-aborted' | 'gateway-stopping' | 'gateway-restarted' | 'no-approver';

export const EXPIRED_REASON_TEXT: Readonly<Record<ExpiredReason, string>> = {
  timeout: 'nobody decided in time',
  'run-aborted': 'the run was aborted',
  'gateway-stopping': 'the gateway stopped before anyone decided',
  'gateway-restarted': 'the gateway restarted before anyone decided',
  'no-approver': 'no approver was connected',
};

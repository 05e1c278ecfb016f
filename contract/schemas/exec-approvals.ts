// Exec approvals (docs/methods.md, docs/events.md): pending per-command requests, and the standing rules.
import { z } from 'zod';
import { AgentId, EpochMs, OkTrue } from './common.js';

export const APPROVAL_DECISIONS = ['allow-once', 'allow-always', 'deny'] as const;
export const ApprovalDecision = z.enum(APPROVAL_DECISIONS);
export type ApprovalDecision = z.infer<typeof ApprovalDecision>;

export const EXEC_SECURITY_MODES = ['deny', 'allowlist', 'full'] as const;
export const EXEC_ASK_MODES = ['off', 'on-miss', 'always'] as const;

export const SystemRunPlan = z.looseObject({
  argv: z.array(z.string()),
  cwd: z.string().nullable(),
  commandText: z.string(),
  commandPreview: z.string().optional(),
  agentId: z.string().nullable(),
  sessionKey: z.string().nullable(),
  mutableFileOperand: z
    .object({ argvIndex: z.number().int().min(0), path: z.string(), sha256: z.string() })
    .nullable()
    .optional(),
});

const NullableText = z.string().nullable();

/** What the agent asked to run, as shown to the approver (the event carries every field, null when unset). */
export const ExecApprovalRequest = z.looseObject({
  command: z.string(),
  commandPreview: z.string().optional(),
  commandArgv: z.array(z.string()).optional(),
  /** Names only; values never leave the gateway. */
  envKeys: z.array(z.string()).optional(),
  systemRunBinding: z.unknown().nullable(),
  systemRunPlan: SystemRunPlan.nullable(),
  cwd: NullableText,
  nodeId: NullableText,
  /** `gateway` for this gateway's exec tool, `node` for a node host's system.run. */
  host: NullableText,
  security: z.enum(EXEC_SECURITY_MODES).nullable(),
  ask: z.enum(EXEC_ASK_MODES).nullable(),
  /** `allow-always` is missing when the policy says ask `always` or no rule could cover the command. */
  allowedDecisions: z.array(ApprovalDecision),
  agentId: NullableText,
  resolvedPath: NullableText,
  sessionKey: NullableText,
  turnSourceChannel: NullableText,
  turnSourceTo: NullableText,
  turnSourceAccountId: NullableText,
  /** A numeric thread id from a request is shown as text. */
  turnSourceThreadId: NullableText,
  /** Why approval is needed, one line per command or construct (this gateway's addition). */
  reasons: z.array(z.string()).optional(),
  runId: z.string().nullable().optional(),
  toolCallId: z.string().nullable().optional(),
});
export type ExecApprovalRequest = z.infer<typeof ExecApprovalRequest>;

export const ExecApprovalEntry = z.object({
  id: z.string(),
  request: ExecApprovalRequest,
  createdAtMs: EpochMs,
  expiresAtMs: EpochMs,
});
export type ExecApprovalEntry = z.infer<typeof ExecApprovalEntry>;

export const ExecApprovalsListParams = z.strictObject({});

/** A bare array, as upstream's exec.approval.list answers. */
export const ExecApprovalsListResult = z.array(ExecApprovalEntry);

const ApprovalIdInput = z.string().min(1).max(256);

export const ExecApprovalsResolveParams = z.strictObject({
  /** The full id or a unique prefix of it. */
  id: ApprovalIdInput,
  decision: ApprovalDecision,
});

export const ExecApprovalsResolveResult = z.object({ ok: OkTrue });

export const ExecApprovalRequestedEvent = ExecApprovalEntry;

export const ExecApprovalResolvedEvent = z.object({
  id: z.string(),
  decision: ApprovalDecision,
  /** Display name or client id of whoever resolved it. */
  resolvedBy: z.string().nullable(),
  ts: EpochMs,
  request: ExecApprovalRequest,
});

// ── per-command requests (upstream exec.approval.request / get / waitDecision) ─────────────

const BoundedText = z.string().max(65_536);

/** Unknown fields from newer upstream clients are dropped, not refused. */
export const ExecApprovalRequestParams = z.object({
  /** Explicit id: 1–128 of `A-Za-z0-9._:-`; ids starting `plugin:` are reserved. */
  id: z.string().min(1).max(128).optional(),
  command: BoundedText.optional(),
  commandArgv: z.array(z.string().max(8_192)).max(1_024).optional(),
  systemRunPlan: SystemRunPlan.optional(),
  /** Names are shown to the approver; values are not kept. */
  env: z.record(z.string().max(256), z.string().max(32_768)).optional(),
  cwd: z.string().max(4_096).optional(),
  nodeId: z.string().max(256).optional(),
  host: z.string().max(64).optional(),
  security: z.string().max(32).optional(),
  ask: z.string().max(32).optional(),
  agentId: z.string().max(128).optional(),
  resolvedPath: z.string().max(4_096).optional(),
  sessionKey: z.string().max(512).optional(),
  turnSourceChannel: z.string().max(256).optional(),
  turnSourceTo: z.string().max(512).optional(),
  turnSourceAccountId: z.string().max(256).optional(),
  turnSourceThreadId: z.union([z.string().max(256), z.number()]).optional(),
  /** Default 1 800 000 (30 min). */
  timeoutMs: z.number().int().min(1).max(7 * 86_400_000).optional(),
  /** Answer `accepted` at once, then the decision in a second `res` with the same id. */
  twoPhase: z.boolean().optional(),
});

export const ExecApprovalRequestAccepted = z.object({
  status: z.literal('accepted'),
  id: z.string(),
  createdAtMs: EpochMs,
  expiresAtMs: EpochMs,
});

/** `decision: null`: expired, or no approver could be asked. */
export const ExecApprovalDecisionResult = z.object({
  id: z.string(),
  decision: ApprovalDecision.nullable(),
  createdAtMs: EpochMs,
  expiresAtMs: EpochMs,
});

export const ExecApprovalGetParams = z.strictObject({ id: ApprovalIdInput });

export const APPROVAL_STATUSES = ['pending', 'allowed', 'denied', 'expired'] as const;

export const ExecApprovalGetResult = z.object({
  id: z.string(),
  commandText: z.string(),
  commandPreview: z.string().nullable(),
  allowedDecisions: z.array(ApprovalDecision),
  host: z.string().nullable(),
  nodeId: z.string().nullable(),
  agentId: z.string().nullable(),
  expiresAtMs: EpochMs,
  /** This gateway also answers for decided and expired requests it still remembers. */
  status: z.enum(APPROVAL_STATUSES),
  decision: ApprovalDecision.nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAtMs: EpochMs.nullable(),
  /** timeout, run-aborted, gateway-stopping, gateway-restarted, no-approver. */
  expiredReason: z.string().nullable(),
});

export const ExecApprovalWaitDecisionParams = z.strictObject({ id: ApprovalIdInput });

// ── standing rules ──────────────────────────────────────────────────────────────────────

const PolicyShape = {
  security: z.enum(EXEC_SECURITY_MODES).optional(),
  ask: z.enum(EXEC_ASK_MODES).optional(),
  /** What applies when approval is needed but nobody can be asked. */
  askFallback: z.enum(EXEC_SECURITY_MODES).optional(),
  autoAllowSkills: z.boolean().optional(),
};

const AllowlistEntryShape = {
  id: z.string().max(128).optional(),
  pattern: z.string().min(1).max(1024),
  argPattern: z.string().max(1024).optional(),
  lastUsedAt: EpochMs.optional(),
  lastUsedCommand: z.string().max(8192).optional(),
  lastResolvedPath: z.string().max(4096).optional(),
};

const DenylistEntryShape = {
  id: z.string().max(128).optional(),
  pattern: z.string().min(1).max(1024),
  argPattern: z.string().max(1024).optional(),
};

/**
 * Upstream's exec-approvals.json (socket token stripped). Agent `*` holds rules for every agent;
 * `denylist` (as in newer upstream files) refuses matching commands whatever else allows them.
 */
export const ExecApprovalsFile = z.object({
  version: z.literal(1),
  socket: z.object({ path: z.string().optional() }).optional(),
  defaults: z.object(PolicyShape).optional(),
  agents: z
    .record(
      z.string(),
      z.object({ ...PolicyShape, allowlist: z.array(z.object(AllowlistEntryShape)).optional(), denylist: z.array(z.object(DenylistEntryShape)).optional() }),
    )
    .optional(),
});
export type ExecApprovalsFile = z.infer<typeof ExecApprovalsFile>;

/** An agent id, or `*` for rules that apply to every agent. */
const AgentKey = z.union([AgentId, z.literal('*')]);

export const ExecApprovalsFileInput = z.strictObject({
  version: z.literal(1),
  socket: z.strictObject({ path: z.string().max(4096).optional() }).optional(),
  defaults: z.strictObject(PolicyShape).optional(),
  agents: z
    .record(
      AgentKey,
      z.strictObject({
        ...PolicyShape,
        allowlist: z.array(z.strictObject(AllowlistEntryShape)).max(1000).optional(),
        denylist: z.array(z.strictObject(DenylistEntryShape)).max(1000).optional(),
      }),
    )
    .optional(),
});

export const ExecOverride = z.object({
  /** Glob on the resolved executable path (`*` within a directory, `**` across), or a bare program name. */
  pattern: z.string(),
  /** Glob on the arguments joined by spaces (`*` within an argument, `**` anything). */
  argPattern: z.string().optional(),
  decision: z.enum(['allow', 'deny']),
  /** Absent: the rule applies to every agent. */
  agentId: z.string().optional(),
});
export type ExecOverride = z.infer<typeof ExecOverride>;

export const ExecApprovalsOverridesParams = z.strictObject({});

/**
 * `hash`, `overrides` and `defaults` are this gateway's view of the rules; `path`, `exists` and
 * `file` keep upstream exec.approvals.get clients working.
 */
export const ExecApprovalsOverridesResult = z.object({
  path: z.string(),
  exists: z.boolean(),
  /** Hex SHA-256 of the rules file; the `baseHash` of the next write. Empty when the file does not exist. */
  hash: z.string(),
  defaults: z.object(PolicyShape),
  overrides: z.array(ExecOverride),
  file: ExecApprovalsFile,
  /** Set when the file on disk cannot be read; every command is denied until it is fixed or replaced. */
  invalid: z.string().optional(),
});

const BaseHash = z.string().regex(/^[0-9a-f]{64}$/);

/** One rule (`decision: null` removes it), or upstream's whole-file replacement. */
export const ExecApprovalsOverridesSetParams = z.union([
  z.strictObject({
    pattern: z.string().min(1).max(1024),
    argPattern: z.string().max(1024).optional(),
    decision: z.enum(['allow', 'deny']).nullable(),
    agentId: AgentId.optional(),
    /** Checked when given. */
    baseHash: BaseHash.optional(),
  }),
  z.strictObject({
    file: ExecApprovalsFileInput,
    /** Required when the file exists, as for upstream exec.approvals.set. */
    baseHash: BaseHash.optional(),
  }),
]);

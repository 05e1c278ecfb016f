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

const NullableText = z.string().nullable().optional();

/** What the agent asked to run, as shown to the approver. */
export const ExecApprovalRequest = z.looseObject({
  command: z.string(),
  commandPreview: z.string().optional(),
  commandArgv: z.array(z.string()).optional(),
  /** Names only; values never leave the gateway. */
  envKeys: z.array(z.string()).optional(),
  systemRunBinding: z.unknown().optional(),
  systemRunPlan: SystemRunPlan.nullable().optional(),
  cwd: NullableText,
  nodeId: NullableText,
  host: NullableText,
  security: z.enum(EXEC_SECURITY_MODES).nullable().optional(),
  ask: z.enum(EXEC_ASK_MODES).nullable().optional(),
  /** `allow-always` is missing when the policy says ask `always`. */
  allowedDecisions: z.array(ApprovalDecision),
  agentId: NullableText,
  resolvedPath: NullableText,
  sessionKey: NullableText,
  turnSourceChannel: NullableText,
  turnSourceTo: NullableText,
  turnSourceAccountId: NullableText,
  turnSourceThreadId: NullableText,
});

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

export const ExecApprovalsResolveParams = z.strictObject({
  /** The full id or a unique prefix of it. */
  id: z.string().min(1).max(256),
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

/** Upstream's exec-approvals.json (socket token stripped). */
export const ExecApprovalsFile = z.object({
  version: z.literal(1),
  socket: z.object({ path: z.string().optional() }).optional(),
  defaults: z.object(PolicyShape).optional(),
  agents: z
    .record(z.string(), z.object({ ...PolicyShape, allowlist: z.array(z.object(AllowlistEntryShape)).optional() }))
    .optional(),
});

const ExecApprovalsFileInput = z.strictObject({
  version: z.literal(1),
  socket: z.strictObject({ path: z.string().max(4096).optional() }).optional(),
  defaults: z.strictObject(PolicyShape).optional(),
  agents: z
    .record(
      AgentId,
      z.strictObject({ ...PolicyShape, allowlist: z.array(z.strictObject(AllowlistEntryShape)).max(1000).optional() }),
    )
    .optional(),
});

export const ExecOverride = z.object({
  /** Command pattern (glob on the resolved executable path or command text). */
  pattern: z.string(),
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
});

const BaseHash = z.string().regex(/^[0-9a-f]{64}$/);

/** One rule (`decision: null` removes it), or upstream's whole-file replacement. */
export const ExecApprovalsOverridesSetParams = z.union([
  z.strictObject({
    pattern: z.string().min(1).max(1024),
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

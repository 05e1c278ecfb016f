// The single source of truth: every method, event and HTTP endpoint of the gateway.
// Schemas live beside this file in schemas/, one file per namespace; this file is the table of contents.
// Change it, run `npm run codegen`, and the compiler names every place that must follow.
import { z } from 'zod';
import { endpoint, event, method } from './define.js';
import {
  AgentAccepted,
  AgentEvent,
  AgentFinal,
  AgentParams,
  AgentWaitParams,
  AgentWaitResult,
} from './schemas/agent.js';
import {
  AgentsCreateParams,
  AgentsCreateResult,
  AgentsDeleteParams,
  AgentsDeleteResult,
  AgentsFilesGetParams,
  AgentsFilesGetResult,
  AgentsFilesListParams,
  AgentsFilesListResult,
  AgentsFilesSetParams,
  AgentsFilesSetResult,
  AgentsListParams,
  AgentsListResult,
  AgentsUpdateParams,
  AgentsUpdateResult,
} from './schemas/agents.js';
import {
  ChannelPairingApproveParams,
  ChannelPairingApproveResult,
  ChannelPairingListParams,
  ChannelPairingListResult,
  ChannelPairingRequestedEvent,
  ChannelPairingResolvedEvent,
  ChannelsAccountParams,
  ChannelsAccountResult,
  ChannelsLogoutParams,
  ChannelsLogoutResult,
  ChannelsStatusParams,
  ChannelsStatusResult,
  ChannelStatusEvent,
  SendParams,
  SendResult,
} from './schemas/channels.js';
import {
  ChatAbortParams,
  ChatAbortResult,
  ChatEvent,
  ChatHistoryParams,
  ChatMetadataChangedEvent,
  ChatHistoryResult,
  ChatInjectParams,
  ChatInjectResult,
  ChatSendParams,
  ChatSendResult,
} from './schemas/chat.js';
import { BrowserStatusParams, BrowserStatusResult, BrowserTabsParams, BrowserTabsResult } from './schemas/browser.js';
import { ConnectChallenge, ConnectParams, HelloOk, PresenceDeltaEvent, PresenceEvent, PROTOCOL_VERSIONS } from './schemas/connect.js';
import { OpenClawConfig } from './schemas/config.js';
import {
  ConfigSchemaResult,
  ConfigSetParams,
  ConfigSnapshot,
  ConfigWriteParams,
  ConfigWriteResult,
} from './schemas/config-methods.js';
import {
  CronAddParams,
  CronEvent,
  CronListParams,
  CronListResult,
  CronRemoveParams,
  CronRemoveResult,
  CronRunParams,
  CronRunResult,
  CronRunsParams,
  CronRunsResult,
  CronStatusParams,
  CronStatusResult,
  CronUpdateParams,
} from './schemas/cron.js';
import { CronJob } from './schemas/cron-job.js';
import {
  ExecApprovalDecisionResult,
  ExecApprovalGetParams,
  ExecApprovalGetResult,
  ExecApprovalRequestAccepted,
  ExecApprovalRequestParams,
  ExecApprovalWaitDecisionParams,
  ExecApprovalRequestedEvent,
  ExecApprovalResolvedEvent,
  ExecApprovalsListParams,
  ExecApprovalsListResult,
  ExecApprovalsOverridesParams,
  ExecApprovalsOverridesResult,
  ExecApprovalsOverridesSetParams,
  ExecApprovalsResolveParams,
  ExecApprovalsResolveResult,
} from './schemas/exec-approvals.js';
import { CancelFrame, EventFrame, RequestFrame, ResponseFrame } from './schemas/frames.js';
import { ModelsListParams, ModelsListResult } from './schemas/models.js';
import {
  ChatCompletion,
  ChatCompletionRequest,
  EmbeddingsRequest,
  EmbeddingsResponse,
  OpenAIModel,
  OpenAIModelList,
  ResponseCreateRequest,
  ResponseResource,
  SessionKillResult,
} from './schemas/openai-http.js';
import { OpenApiDocument } from './schemas/openapi.js';
import { LiveProbe, ReadyProbe } from './schemas/probes.js';
import {
  SessionsChangedEvent,
  SessionsCompactParams,
  SessionsCompactResult,
  SessionsDeleteParams,
  SessionsDeleteResult,
  SessionsListParams,
  SessionsListResult,
  SessionMessageEvent,
  SessionToolEvent,
  SessionsMessagesSubscribeParams,
  SessionsMessagesSubscribeResult,
  SessionsPatchParams,
  SessionsPatchResult,
  SessionsPreviewParams,
  SessionsPreviewResult,
  SessionsResetParams,
  SessionsResetResult,
  SessionsSpawnParams,
  SessionsSpawnResult,
  SessionsSubscribeResult,
} from './schemas/sessions.js';
import { MemorySearchParams, MemorySearchResult, MemoryStatusParams, MemoryStatusResult } from './schemas/memory.js';
import {
  SkillsBinsParams,
  SkillsBinsResult,
  SkillsChangedEvent,
  SkillsInstallParams,
  SkillsInstallResult,
  SkillsStatusParams,
  SkillsStatusResult,
  SkillsUpdateParams,
  SkillsUpdateResult,
} from './schemas/skills.js';
import {
  Empty,
  HealthParams,
  HealthSummary,
  LogsTailParams,
  LogsTailResult,
  ShutdownEvent,
  StatusSummary,
  TaskEvent,
  TickEvent,
} from './schemas/system.js';
import { ToolsInvokeRequest, ToolsInvokeSuccess } from './schemas/tools-invoke.js';
import { ToolsCatalogParams, ToolsCatalogResult } from './schemas/tools.js';
import { UsageCostParams, UsageCostResult, UsageStatusParams, UsageStatusResult } from './schemas/usage.js';

const methods = {
  // ── handshake and system ──────────────────────────────────────────────────────────────
  connect: method({
    params: ConnectParams,
    result: HelloOk,
    scope: 'any',
    doc: 'Handshake; only valid as the first request of a connection.',
    errors: [
      'PROTOCOL_MISMATCH',
      'AUTH_TOKEN_MISSING',
      'AUTH_TOKEN_MISMATCH',
      'AUTH_TOKEN_NOT_CONFIGURED',
      'AUTH_PASSWORD_MISSING',
      'AUTH_PASSWORD_MISMATCH',
      'AUTH_PASSWORD_NOT_CONFIGURED',
      'AUTH_RATE_LIMITED',
      'DEVICE_AUTH_DEVICE_ID_MISMATCH',
      'DEVICE_AUTH_SIGNATURE_EXPIRED',
      'DEVICE_AUTH_NONCE_REQUIRED',
      'DEVICE_AUTH_NONCE_MISMATCH',
      'DEVICE_AUTH_SIGNATURE_INVALID',
      'DEVICE_AUTH_PUBLIC_KEY_INVALID',
      // Upstream gateways' refusals (the SDKs talk to them too).
      'AUTH_REQUIRED',
      'AUTH_UNAUTHORIZED',
      'DEVICE_AUTH_INVALID',
      'AUTH_DEVICE_TOKEN_MISMATCH',
      'AUTH_BOOTSTRAP_TOKEN_INVALID',
      'AUTH_SCOPE_MISMATCH',
      'AUTH_TAILSCALE_IDENTITY_MISSING',
      'AUTH_TAILSCALE_PROXY_MISSING',
      'AUTH_TAILSCALE_WHOIS_FAILED',
      'AUTH_TAILSCALE_IDENTITY_MISMATCH',
      'CONTROL_UI_ORIGIN_NOT_ALLOWED',
      'CONTROL_UI_DEVICE_IDENTITY_REQUIRED',
      'DEVICE_IDENTITY_REQUIRED',
      'PAIRING_REQUIRED',
    ],
  }),
  health: method({
    params: HealthParams,
    result: HealthSummary,
    scope: 'any',
    doc: 'Cached gateway health snapshot, refreshed in the background.',
  }),
  status: method({
    params: Empty,
    result: StatusSummary,
    scope: 'operator.read',
    doc: 'Summary of sessions, agents and channels.',
  }),
  'logs.tail': method({
    params: LogsTailParams,
    result: LogsTailResult,
    scope: 'operator.read',
    doc: "Reads the gateway's own log file from a byte cursor (or its tail).",
    errors: ['LOG_UNAVAILABLE'],
  }),

  // ── config ────────────────────────────────────────────────────────────────────────────
  'config.get': method({
    params: Empty,
    result: ConfigSnapshot,
    scope: 'operator.read',
    doc: 'Redacted config file snapshot with the hash to use as baseHash for writes.',
  }),
  'config.set': method({
    params: ConfigSetParams,
    result: ConfigWriteResult,
    scope: 'operator.admin',
    doc: 'Replaces the config file text; baseHash must match the current hash.',
    errors: ['BASE_HASH_REQUIRED', 'BASE_HASH_MISMATCH', 'CONFIG_INVALID'],
  }),
  'config.patch': method({
    params: ConfigWriteParams,
    result: ConfigWriteResult,
    scope: 'operator.admin',
    doc: 'Applies a JSON merge patch to the config file and reloads what can be hot-applied.',
    errors: ['BASE_HASH_REQUIRED', 'BASE_HASH_MISMATCH', 'CONFIG_INVALID'],
  }),
  'config.apply': method({
    params: ConfigWriteParams,
    result: ConfigWriteResult,
    scope: 'operator.admin',
    doc: 'Replaces the whole config and reloads.',
    errors: ['BASE_HASH_REQUIRED', 'BASE_HASH_MISMATCH', 'CONFIG_INVALID'],
  }),
  'config.schema': method({
    params: Empty,
    result: ConfigSchemaResult,
    scope: 'operator.admin',
    doc: "JSON Schema of openclaw.json, generated from the contract's config schema.",
  }),

  // ── NAMESPACES BELOW ARE FILLED IN FROM schemas/<namespace>.ts ────────────────────────

  // ── chat ──────────────────────────────────────────────────────────────────────────────
  'chat.send': method({
    params: ChatSendParams,
    result: ChatSendResult,
    scope: 'operator.write',
    doc: 'Starts a run and acks at once; the reply streams as chat and agent events. Same idempotencyKey, same run.',
    errors: ['MESSAGE_REQUIRED', 'AGENT_NOT_FOUND', 'MODEL_NOT_FOUND', 'QUEUE_FULL'],
  }),
  'chat.abort': method({
    params: ChatAbortParams,
    result: ChatAbortResult,
    scope: 'operator.write',
    doc: "Aborts one run, or every run of the session; emits chat state 'aborted'.",
    errors: ['RUN_SESSION_MISMATCH'],
  }),
  'chat.history': method({
    params: ChatHistoryParams,
    result: ChatHistoryResult,
    scope: 'operator.read',
    doc: "A session's transcript messages, newest last, bounded by limit and maxChars.",
  }),
  'chat.inject': method({
    params: ChatInjectParams,
    result: ChatInjectResult,
    scope: 'operator.admin',
    doc: 'Appends an assistant message to the transcript without a run; emits chat final.',
    errors: ['SESSION_NOT_FOUND'],
  }),

  // ── agent runs ────────────────────────────────────────────────────────────────────────
  agent: method({
    params: AgentParams,
    interim: AgentAccepted,
    result: AgentFinal,
    scope: 'operator.write',
    doc: 'Runs an agent turn: answers accepted at once, then the final outcome with the same request id.',
    errors: ['AGENT_NOT_FOUND', 'SESSION_NOT_FOUND', 'MODEL_NOT_FOUND', 'MESSAGE_REQUIRED', 'PROVIDER_ERROR', 'QUEUE_FULL'],
  }),
  'agent.wait': method({
    params: AgentWaitParams,
    result: AgentWaitResult,
    scope: 'operator.write',
    doc: "Waits for a run to end; status 'timeout' when timeoutMs passes first.",
    errors: ['RUN_NOT_FOUND'],
  }),

  // ── agents ────────────────────────────────────────────────────────────────────────────
  'agents.list': method({
    params: AgentsListParams,
    result: AgentsListResult,
    scope: 'operator.read',
    doc: 'Configured agents and the default one.',
  }),
  'agents.create': method({
    params: AgentsCreateParams,
    result: AgentsCreateResult,
    scope: 'operator.admin',
    doc: 'Adds an agent to the config; its id is derived from the name.',
    errors: ['AGENT_EXISTS', 'AGENT_PROTECTED', 'CONFIG_INVALID', 'MODEL_NOT_FOUND'],
  }),
  'agents.update': method({
    params: AgentsUpdateParams,
    result: AgentsUpdateResult,
    scope: 'operator.admin',
    doc: "Changes an agent's name, workspace, model or identity.",
    errors: ['AGENT_NOT_FOUND', 'CONFIG_INVALID', 'MODEL_NOT_FOUND'],
  }),
  'agents.delete': method({
    params: AgentsDeleteParams,
    result: AgentsDeleteResult,
    scope: 'operator.admin',
    doc: 'Removes an agent and its bindings; main cannot be deleted.',
    errors: ['AGENT_NOT_FOUND', 'AGENT_PROTECTED'],
  }),
  'agents.files.list': method({
    params: AgentsFilesListParams,
    result: AgentsFilesListResult,
    scope: 'operator.read',
    doc: "The agent's editable workspace files, including allowed ones not yet created.",
    errors: ['AGENT_NOT_FOUND'],
  }),
  'agents.files.get': method({
    params: AgentsFilesGetParams,
    result: AgentsFilesGetResult,
    scope: 'operator.read',
    doc: 'One workspace file with its content; an allowed file not created yet answers missing: true without content.',
    errors: ['AGENT_NOT_FOUND', 'FILE_NOT_ALLOWED'],
  }),
  'agents.files.set': method({
    params: AgentsFilesSetParams,
    result: AgentsFilesSetResult,
    scope: 'operator.admin',
    doc: 'Writes one workspace file atomically; paths outside the allowed set are refused.',
    errors: ['AGENT_NOT_FOUND', 'FILE_NOT_ALLOWED'],
  }),

  // ── sessions ──────────────────────────────────────────────────────────────────────────
  'sessions.list': method({
    params: SessionsListParams,
    result: SessionsListResult,
    scope: 'operator.read',
    doc: 'Session rows, most recently updated first, with optional filters, one page at a time (`limit`, default 100; `offset`; `nextOffset`/`hasMore` say where the next page starts).',
    errors: ['AGENT_NOT_FOUND', 'MODEL_NOT_FOUND'],
  }),
  'sessions.preview': method({
    params: SessionsPreviewParams,
    result: SessionsPreviewResult,
    scope: 'operator.read',
    doc: 'The last few messages of each given session, as plain text.',
  }),
  'sessions.patch': method({
    params: SessionsPatchParams,
    result: SessionsPatchResult,
    scope: 'operator.admin',
    doc: 'Sets or clears (null) per-session overrides such as label, model or thinking level.',
    errors: ['SESSION_NOT_FOUND', 'AGENT_NOT_FOUND', 'MODEL_NOT_FOUND'],
  }),
  'sessions.reset': method({
    params: SessionsResetParams,
    result: SessionsResetResult,
    scope: 'operator.admin',
    doc: 'Starts a fresh transcript under the same key; the old one is archived.',
    errors: ['SESSION_NOT_FOUND', 'SESSION_BUSY'],
  }),
  'sessions.delete': method({
    params: SessionsDeleteParams,
    result: SessionsDeleteResult,
    scope: 'operator.admin',
    doc: 'Removes a session entry, archiving or deleting its transcript.',
    errors: ['SESSION_NOT_FOUND', 'SESSION_BUSY'],
  }),
  'sessions.compact': method({
    params: SessionsCompactParams,
    result: SessionsCompactResult,
    scope: 'operator.admin',
    doc: 'Shrinks a transcript: keeps the last maxLines lines, or has the model summarise it.',
    errors: ['SESSION_NOT_FOUND', 'SESSION_BUSY', 'MODEL_NOT_FOUND', 'PROVIDER_ERROR'],
  }),
  'sessions.spawn': method({
    params: SessionsSpawnParams,
    result: SessionsSpawnResult,
    scope: 'operator.write',
    aliases: ['sessions.create'],
    doc: 'Creates a session (optionally a child of another) and sends an initial message if given.',
    errors: ['AGENT_NOT_FOUND', 'MODEL_NOT_FOUND', 'QUEUE_FULL'],
  }),
  'sessions.subscribe': method({
    params: Empty,
    result: SessionsSubscribeResult,
    scope: 'operator.read',
    doc: "Sends this connection every session's session.message and session.tool events until sessions.unsubscribe or close.",
  }),
  'sessions.unsubscribe': method({
    params: Empty,
    result: SessionsSubscribeResult,
    scope: 'operator.read',
    doc: 'Undoes sessions.subscribe; per-session subscriptions stay.',
  }),
  'sessions.messages.subscribe': method({
    params: SessionsMessagesSubscribeParams,
    result: SessionsMessagesSubscribeResult,
    scope: 'operator.read',
    doc: "Sends this connection one session's session.message and session.tool events (the session need not exist yet); answers the canonical key.",
    errors: ['SUBSCRIPTION_LIMIT'],
  }),
  'sessions.messages.unsubscribe': method({
    params: SessionsMessagesSubscribeParams,
    result: SessionsMessagesSubscribeResult,
    scope: 'operator.read',
    doc: 'Undoes sessions.messages.subscribe for one session key.',
  }),

  // ── models ────────────────────────────────────────────────────────────────────────────
  'models.list': method({
    params: ModelsListParams,
    result: ModelsListResult,
    scope: 'operator.read',
    doc: "The configured providers' models (the allowlist when agents.defaults.models is set).",
  }),

  // ── tools ─────────────────────────────────────────────────────────────────────────────
  'tools.catalog': method({
    params: ToolsCatalogParams,
    result: ToolsCatalogResult,
    scope: 'operator.read',
    doc: 'The tools an agent has, grouped, with argument schemas, whether its runs are offered each one and whether /tools/invoke may call it.',
    errors: ['AGENT_NOT_FOUND'],
  }),

  // ── usage ─────────────────────────────────────────────────────────────────────────────
  'usage.status': method({
    params: UsageStatusParams,
    result: UsageStatusResult,
    scope: 'operator.read',
    doc: 'Per-provider usage windows and totals from recorded runs.',
  }),
  'usage.cost': method({
    params: UsageCostParams,
    result: UsageCostResult,
    scope: 'operator.read',
    doc: 'Token and cost totals per day over a date range (default the last 30 days).',
  }),

  // ── cron ──────────────────────────────────────────────────────────────────────────────
  'cron.list': method({
    params: CronListParams,
    result: CronListResult,
    scope: 'operator.read',
    doc: 'Scheduled jobs, paged, filtered and sorted (default: enabled jobs by next run). Reading never moves a schedule.',
  }),
  'cron.status': method({
    params: CronStatusParams,
    result: CronStatusResult,
    scope: 'operator.read',
    doc: 'Whether the scheduler runs, where jobs are stored, when it next wakes and how many runs are in progress.',
  }),
  'cron.runs': method({
    params: CronRunsParams,
    result: CronRunsResult,
    scope: 'operator.read',
    doc: 'Run log entries of one job or all jobs, newest first by default, filtered and paged.',
    errors: ['JOB_NOT_FOUND'],
  }),
  'cron.add': method({
    params: CronAddParams,
    result: CronJob,
    scope: 'operator.admin',
    doc: 'Creates a job with an at, every or cron schedule (a cron job without tz gets the gateway zone); returns the stored job.',
    errors: ['SCHEDULE_INVALID', 'AGENT_NOT_FOUND', 'CRON_STORE_UNAVAILABLE', 'CRON_JOB_LIMIT'],
  }),
  'cron.update': method({
    params: CronUpdateParams,
    result: CronJob,
    scope: 'operator.admin',
    doc: 'Patches a job (payload and delivery are merged); returns the updated job.',
    errors: ['JOB_NOT_FOUND', 'SCHEDULE_INVALID', 'AGENT_NOT_FOUND', 'CRON_STORE_UNAVAILABLE'],
  }),
  'cron.remove': method({
    params: CronRemoveParams,
    result: CronRemoveResult,
    scope: 'operator.admin',
    doc: 'Deletes a job (removed: false when there was none); its run log is kept aside.',
    errors: ['JOB_NOT_FOUND', 'CRON_STORE_UNAVAILABLE'],
  }),
  'cron.run': method({
    params: CronRunParams,
    result: CronRunResult,
    scope: 'operator.admin',
    doc: 'Enqueues a job now (force, default) or only if it is due; answers already-running or not-due instead when so.',
    errors: ['JOB_NOT_FOUND', 'CRON_STORE_UNAVAILABLE'],
  }),

  // ── channels ──────────────────────────────────────────────────────────────────────────
  'channels.status': method({
    params: ChannelsStatusParams,
    result: ChannelsStatusResult,
    scope: 'operator.read',
    doc: 'Every channel and account with its connection state, optionally probed live.',
  }),
  'channels.logout': method({
    params: ChannelsLogoutParams,
    result: ChannelsLogoutResult,
    scope: 'operator.admin',
    doc: "Stops a channel account and forgets its credentials (IRC: server and NickServ passwords); it stays stopped until its config changes or channels.start.",
    errors: ['CHANNEL_NOT_FOUND', 'CHANNEL_ACCOUNT_NOT_FOUND', 'CHANNEL_LOGOUT_UNSUPPORTED', 'CONFIG_INVALID'],
  }),
  'channels.start': method({
    params: ChannelsAccountParams,
    result: ChannelsAccountResult,
    scope: 'operator.admin',
    doc: 'Starts (or restarts) one configured channel account, also after a fatal error or a logout.',
    errors: ['CHANNEL_NOT_FOUND', 'CHANNEL_ACCOUNT_NOT_FOUND', 'CHANNEL_NOT_CONFIGURED'],
  }),
  'channels.stop': method({
    params: ChannelsAccountParams,
    result: ChannelsAccountResult,
    scope: 'operator.admin',
    doc: 'Stops one channel account until channels.start, a config change of that account or a gateway restart.',
    errors: ['CHANNEL_NOT_FOUND', 'CHANNEL_ACCOUNT_NOT_FOUND'],
  }),
  send: method({
    params: SendParams,
    result: SendResult,
    scope: 'operator.write',
    doc: 'Sends a message to a peer or group through a channel account (cron announce delivery and the message tool use it too). Same idempotencyKey, same message.',
    errors: [
      'CHANNEL_NOT_FOUND',
      'CHANNEL_ACCOUNT_NOT_FOUND',
      'CHANNEL_AMBIGUOUS',
      'CHANNEL_INTERNAL_ONLY',
      'CHANNEL_NOT_CONNECTED',
      'CHANNEL_TARGET_INVALID',
      'CHANNEL_SEND_FAILED',
      'MESSAGE_REQUIRED',
    ],
  }),
  'channel.pairing.list': method({
    params: ChannelPairingListParams,
    result: ChannelPairingListResult,
    scope: 'operator.pairing',
    doc: 'Pending DM pairing requests of channel senders (codes expire after an hour, at most 3 pending per account).',
    errors: ['CHANNEL_NOT_FOUND'],
  }),
  'channel.pairing.approve': method({
    params: ChannelPairingApproveParams,
    result: ChannelPairingApproveResult,
    scope: 'operator.pairing',
    doc: "Approves a pairing code: the sender joins the account's allowFrom store and may talk to the agent; emits channel.pairing.resolved.",
    errors: ['CHANNEL_NOT_FOUND', 'PAIRING_CODE_NOT_FOUND'],
  }),

  // ── exec approvals ────────────────────────────────────────────────────────────────────
  'exec.approvals.list': method({
    params: ExecApprovalsListParams,
    result: ExecApprovalsListResult,
    scope: 'operator.approvals',
    aliases: ['exec.approval.list'],
    doc: 'Pending exec approval requests.',
  }),
  'exec.approvals.resolve': method({
    params: ExecApprovalsResolveParams,
    result: ExecApprovalsResolveResult,
    scope: 'operator.approvals',
    aliases: ['exec.approval.resolve'],
    doc: 'Decides a pending request (allow-once, allow-always or deny); emits exec.approval.resolved.',
    errors: ['APPROVAL_NOT_FOUND', 'APPROVAL_ALLOW_ALWAYS_UNAVAILABLE', 'APPROVAL_ID_AMBIGUOUS', 'APPROVAL_STORE_FAILED'],
  }),
  'exec.approvals.overrides': method({
    params: ExecApprovalsOverridesParams,
    result: ExecApprovalsOverridesResult,
    scope: 'operator.admin',
    aliases: ['exec.approvals.get'],
    doc: 'The standing allow/deny rules, policy defaults and the hash to use as baseHash.',
  }),
  'exec.approvals.overrides.set': method({
    params: ExecApprovalsOverridesSetParams,
    result: ExecApprovalsOverridesResult,
    scope: 'operator.admin',
    aliases: ['exec.approvals.set'],
    doc: 'Adds, replaces or removes (decision null) one rule, or replaces the whole file.',
    errors: ['BASE_HASH_REQUIRED', 'BASE_HASH_MISMATCH', 'CONFIG_INVALID', 'APPROVAL_STORE_FAILED'],
  }),
  'exec.approval.request': method({
    params: ExecApprovalRequestParams,
    interim: ExecApprovalRequestAccepted,
    result: ExecApprovalDecisionResult,
    scope: 'operator.approvals',
    doc: 'Asks the approvers about a command (a node host, a client running its own exec). With twoPhase: accepted at once, then the decision; decision null when it expired or no approver is connected.',
    errors: ['QUEUE_FULL', 'APPROVAL_STORE_FAILED'],
  }),
  'exec.approval.get': method({
    params: ExecApprovalGetParams,
    result: ExecApprovalGetResult,
    scope: 'operator.approvals',
    doc: 'One approval request (pending, decided or expired) by id or unique id prefix.',
    errors: ['APPROVAL_NOT_FOUND', 'APPROVAL_ID_AMBIGUOUS'],
  }),
  'exec.approval.waitDecision': method({
    params: ExecApprovalWaitDecisionParams,
    result: ExecApprovalDecisionResult,
    scope: 'operator.approvals',
    doc: 'Waits for the decision on a request (answers at once when it is already decided or expired).',
    errors: ['APPROVAL_NOT_FOUND', 'APPROVAL_ID_AMBIGUOUS'],
  }),

  // ── skills ────────────────────────────────────────────────────────────────────────────
  'skills.status': method({
    params: SkillsStatusParams,
    result: SkillsStatusResult,
    scope: 'operator.read',
    doc: 'Installed skills with their requirements, what is missing and how to install it.',
    errors: ['AGENT_NOT_FOUND'],
  }),
  'skills.bins': method({
    params: SkillsBinsParams,
    result: SkillsBinsResult,
    scope: 'node',
    doc: 'Binaries the skills require, for node hosts (role node only, as upstream).',
  }),
  'skills.install': method({
    params: SkillsInstallParams,
    result: SkillsInstallResult,
    scope: 'operator.admin',
    doc: "Runs one of a skill's declared installers (after a safety scan; package install scripts never run) and reports its output; a failed install answers ok:false with a reason.",
    errors: ['SKILL_NOT_FOUND', 'SKILL_INSTALLER_NOT_FOUND', 'INSTALL_FAILED'],
  }),
  'skills.update': method({
    params: SkillsUpdateParams,
    result: SkillsUpdateResult,
    scope: 'operator.admin',
    doc: 'Enables or disables a skill and sets its API key and env in skills.entries.<skillKey>; the answer has secrets redacted.',
    errors: ['CONFIG_INVALID', 'BASE_HASH_MISMATCH'],
  }),

  // ── memory ────────────────────────────────────────────────────────────────────────────
  'memory.status': method({
    params: MemoryStatusParams,
    result: MemoryStatusResult,
    scope: 'operator.read',
    doc: "The memory index of one agent (or every agent): files, chunks, last indexed, whether it is stale, provider and vector support.",
    errors: ['AGENT_NOT_FOUND', 'MEMORY_UNAVAILABLE'],
  }),
  'memory.search': method({
    params: MemorySearchParams,
    result: MemorySearchResult,
    scope: 'operator.read',
    doc: "Searches an agent's memory files as the memory_search tool does (keyword, or hybrid with an embedding model).",
    errors: ['AGENT_NOT_FOUND', 'MEMORY_UNAVAILABLE', 'MEMORY_DISABLED'],
  }),

  // ── browser ───────────────────────────────────────────────────────────────────────────
  'browser.status': method({
    params: BrowserStatusParams,
    result: BrowserStatusResult,
    scope: 'operator.read',
    doc: "The agents' browsers: whether Chromium is available, the settings in force, and each running browser with its process and tab count.",
  }),
  'browser.tabs': method({
    params: BrowserTabsParams,
    result: BrowserTabsResult,
    scope: 'operator.read',
    doc: "The open tabs of the agents' browsers (or one agent's): targetId, title, URL and which one is active.",
  }),
} as const;

const events = {
  'connect.challenge': event({
    payload: ConnectChallenge,
    scope: 'any',
    doc: 'Sent once when a socket opens; carries the nonce a device proof must sign.',
  }),
  tick: event({ payload: TickEvent, scope: 'any', doc: 'Keepalive every policy.tickIntervalMs.', droppable: true }),
  shutdown: event({
    payload: ShutdownEvent,
    scope: 'any',
    doc: 'The gateway is stopping; sockets close with 1012 right after.',
  }),
  health: event({ payload: HealthSummary, scope: 'any', doc: 'Health snapshot changed.', droppable: true }),
  presence: event({
    payload: PresenceEvent,
    scope: 'operator.read',
    doc: 'Connected clients changed: the whole list (at most 200 entries), as upstream sends it. Coalesced, and paced so a burst of connects costs bounded bytes.',
    droppable: true,
  }),
  'presence.delta': event({
    payload: PresenceDeltaEvent,
    scope: 'operator.read',
    doc: "Connected clients changed, as a delta on the hello-ok snapshot (entries by `key`); sent instead of `presence` to clients with the `presence-delta` cap.",
  }),
  chat: event({
    payload: ChatEvent,
    scope: 'operator.read',
    doc: 'Progress of a chat run: cumulative delta, final, aborted or error.',
  }),
  agent: event({
    payload: AgentEvent,
    scope: 'operator.read',
    doc: 'Run stream events (lifecycle, assistant, tool…); tool events only to tool-event recipients.',
  }),
  'sessions.changed': event({
    payload: SessionsChangedEvent,
    scope: 'operator.read',
    doc: 'A session was created, changed, reset, compacted or deleted.',
  }),
  'session.message': event({
    payload: SessionMessageEvent,
    scope: 'operator.read',
    doc: 'A message was appended to a transcript; only to sessions.subscribe and sessions.messages.subscribe connections.',
  }),
  'session.tool': event({
    payload: SessionToolEvent,
    scope: 'operator.read',
    doc: "A run's tool step started or finished; only to sessions.subscribe and sessions.messages.subscribe connections, tool-events cap or not.",
  }),
  cron: event({
    payload: CronEvent,
    scope: 'operator.read',
    doc: 'A job was added, updated or removed, or a run started or finished.',
    droppable: true,
  }),
  'channel.status': event({
    payload: ChannelStatusEvent,
    scope: 'operator.read',
    doc: 'A channel account started, connected, disconnected, failed or stopped (the channels.status account snapshot).',
    droppable: true,
  }),
  'channel.pairing.requested': event({
    payload: ChannelPairingRequestedEvent,
    scope: 'operator.pairing',
    doc: 'An unknown sender asked for access and was given a pairing code.',
  }),
  'channel.pairing.resolved': event({
    payload: ChannelPairingResolvedEvent,
    scope: 'operator.pairing',
    doc: 'A pairing code was approved.',
  }),
  'exec.approval.requested': event({
    payload: ExecApprovalRequestedEvent,
    scope: 'operator.approvals',
    doc: 'An agent asks to run a command that needs approval.',
  }),
  'exec.approval.resolved': event({
    payload: ExecApprovalResolvedEvent,
    scope: 'operator.approvals',
    doc: 'A pending exec approval was decided.',
  }),
  'skills.changed': event({
    payload: SkillsChangedEvent,
    scope: 'operator.read',
    doc: "An agent's skills changed (SKILL.md files, skills config or an install): the new list with eligibility.",
  }),
  // Emitted by upstream gateways, not by this one: declared so typed SDK consumers can handle them.
  task: event({
    payload: TaskEvent,
    scope: 'operator.read',
    doc: 'Upstream gateways: a background task (subagent, cron, CLI run) was queued, changed state or finished. This gateway does not emit it.',
  }),
  'chat.metadata.changed': event({
    payload: ChatMetadataChangedEvent,
    scope: 'operator.read',
    doc: "Upstream gateways: a session's chat metadata (title, unread state, model…) changed. This gateway does not emit it.",
  }),
} as const;

const http = {
  dashboard: endpoint({
    verb: 'GET',
    paths: ['/'],
    body: null,
    response: z.string(),
    auth: 'none',
    contentTypes: ['text/html'],
    doc: 'The built-in Control UI: its page (no-cache, strict CSP), which loads its content-hashed assets from /assets/.',
  }),
  controlUiAsset: endpoint({
    verb: 'GET',
    paths: ['/assets/{name}'],
    body: null,
    response: z.string(),
    auth: 'none',
    contentTypes: ['text/javascript', 'text/css'],
    doc: "A Control UI asset by its content-hashed name, cached as immutable; 404 for any other name.",
  }),
  probesLive: endpoint({
    verb: 'GET',
    paths: ['/health', '/healthz'],
    body: null,
    response: LiveProbe,
    auth: 'none',
    doc: 'Liveness probe.',
  }),
  probesReady: endpoint({
    verb: 'GET',
    paths: ['/ready', '/readyz'],
    body: null,
    response: ReadyProbe,
    auth: 'none',
    doc: 'Readiness probe: 200 when ready, 503 otherwise.',
  }),
  openapi: endpoint({
    verb: 'GET',
    paths: ['/openapi.json'],
    body: null,
    response: OpenApiDocument,
    auth: 'none',
    doc: 'OpenAPI 3.1 document of these routes, generated from the contract.',
  }),
  models: endpoint({
    verb: 'GET',
    paths: ['/v1/models'],
    body: null,
    response: OpenAIModelList,
    auth: 'bearer',
    doc: 'Agent targets as OpenAI models: openclaw, openclaw/default, openclaw/<agentId>.',
  }),
  embeddings: endpoint({
    verb: 'POST',
    paths: ['/v1/embeddings'],
    body: EmbeddingsRequest,
    response: EmbeddingsResponse,
    auth: 'bearer',
    doc: "OpenAI Embeddings through the agent's embedding model (agents.*.memorySearch); `model` picks the agent.",
  }),
  modelsRetrieve: endpoint({
    verb: 'GET',
    paths: ['/v1/models/{id}'],
    body: null,
    response: OpenAIModel,
    auth: 'bearer',
    doc: 'One agent target as an OpenAI model (any `model` value the chat endpoints accept for a configured agent); 404 model_not_found otherwise.',
  }),
  chatCompletions: endpoint({
    verb: 'POST',
    paths: ['/v1/chat/completions'],
    body: ChatCompletionRequest,
    response: ChatCompletion,
    auth: 'bearer',
    streams: true,
    doc: 'OpenAI Chat Completions; stream:true answers SSE chat.completion.chunk lines, then [DONE].',
  }),
  responses: endpoint({
    verb: 'POST',
    paths: ['/v1/responses'],
    body: ResponseCreateRequest,
    response: ResponseResource,
    auth: 'bearer',
    streams: true,
    doc: 'OpenAI Responses; stream:true answers named SSE events, response.created … response.completed, [DONE].',
  }),
  sessionHistory: endpoint({
    verb: 'GET',
    paths: ['/sessions/{key}/history'],
    body: null,
    response: ChatHistoryResult,
    auth: 'bearer',
    doc: 'A session transcript as chat.history answers it (`?limit=`, at most 1000); with `Accept: text/event-stream`, an SSE stream: `history`, then a `message` event per appended message.',
  }),
  sessionKill: endpoint({
    verb: 'POST',
    paths: ['/sessions/{key}/kill'],
    body: null,
    response: SessionKillResult,
    auth: 'bearer',
    doc: "Aborts the session's runs (`killed`: any was running); only from this machine, as upstream's admin kill.",
  }),
  toolsCatalog: endpoint({
    verb: 'GET',
    paths: ['/tools/catalog'],
    body: null,
    response: ToolsCatalogResult,
    auth: 'bearer',
    doc: 'tools.catalog over HTTP (`?agentId=`): the tools /tools/invoke knows, with argument schemas and whether the HTTP policy allows each.',
  }),
  toolsInvoke: endpoint({
    verb: 'POST',
    paths: ['/tools/invoke'],
    body: ToolsInvokeRequest,
    response: ToolsInvokeSuccess,
    auth: 'bearer',
    doc: 'Invokes one tool under the HTTP tool policy; errors answer {ok:false, error:{type, message}}.',
  }),
} as const;

export const contract = {
  name: 'openclaw-gateway',
  protocolVersions: PROTOCOL_VERSIONS,
  frames: { request: RequestFrame, response: ResponseFrame, event: EventFrame, cancel: CancelFrame },
  connectParams: ConnectParams,
  helloOk: HelloOk,
  config: OpenClawConfig,
  methods,
  events,
  http,
  /** What the small browser client (behind the same-origin proxy) exposes. */
  browser: {
    methods: ['chat.send', 'chat.abort', 'chat.history', 'chat.inject'],
    events: ['chat', 'agent'],
  },
} as const;

export type GatewayContract = typeof contract;

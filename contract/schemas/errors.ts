// Gateway errors: the top-level codes of a `res` frame, the catalog of `details.code` values (each
// with its top-level code, the fields of its details and a default message) and the HTTP status of
// each. To add a code: one `detail(...)` line in your subsystem's block below, then name it in the
// `errors: [...]` of the methods that answer it (docs/protocol.md "Errors" says more).
import { z } from 'zod';
import { defineErrorCatalog, detail, type ErrorHttpStatus } from '../error-catalog.js';

/** Top-level error codes of a `res` frame (docs/protocol.md "Errors"). */
export const ERROR_CODES = [
  'INVALID_REQUEST',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'UNAVAILABLE',
  'AGENT_TIMEOUT',
  'NOT_PAIRED',
  'NOT_LINKED',
  'CANCELLED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The HTTP status of each top-level code on the HTTP routes; a catalog entry may override it. */
export const ERROR_HTTP_STATUS: Readonly<Record<ErrorCode, ErrorHttpStatus>> = Object.freeze({
  INVALID_REQUEST: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  AGENT_TIMEOUT: 504,
  NOT_PAIRED: 403,
  // The account or device link a channel needs is missing: the target's state, not the request, is at fault.
  NOT_LINKED: 409,
  // nginx's "client closed request": the caller (or its abort) ended the request.
  CANCELLED: 499,
  INTERNAL: 500,
});

const int = z.number().int();

/** What every shared-secret auth failure of `connect` carries (upstream's connect error details). */
const AUTH_FAILURE = {
  authReason: z.string(),
  canRetryWithDeviceToken: z.boolean(),
  recommendedNextStep: z.enum([
    'retry_with_device_token',
    'update_auth_configuration',
    'update_auth_credentials',
    'wait_then_retry',
    'review_auth_configuration',
  ]),
};
/** A failed device proof names upstream's reason (device-signature, device-nonce-missing…). */
const DEVICE_FAILURE = { reason: z.string() };
const ISSUES = z.array(z.object({ path: z.string(), message: z.string() }));

/**
 * Every `details.code`. Methods declare which of these they may answer in `errors: [...]` of the
 * contract; the generic dispatch codes (GENERIC_DETAIL_CODES) may come from any method.
 */
export const ERROR_CATALOG = defineErrorCatalog({
  // ── handshake (connect) ─────────────────────────────────────────────────────────────
  PROTOCOL_MISMATCH: detail('INVALID_REQUEST', { expectedProtocol: int, supportedProtocols: z.array(int), minProtocol: int, maxProtocol: int }, 'protocol mismatch'),
  AUTH_REQUIRED: detail('INVALID_REQUEST', AUTH_FAILURE, 'unauthorized: this gateway requires auth; send auth.token or auth.password', { http: 401 }),
  AUTH_UNAUTHORIZED: detail('INVALID_REQUEST', AUTH_FAILURE, 'unauthorized: check the credentials in auth', { http: 401 }),
  AUTH_TOKEN_MISSING: detail('INVALID_REQUEST', AUTH_FAILURE, 'unauthorized: gateway token missing (send auth.token; the token is in gateway.auth.token)', { http: 401 }),
  AUTH_TOKEN_MISMATCH: detail('INVALID_REQUEST', AUTH_FAILURE, 'unauthorized: gateway token mismatch (check OPENCLAW_GATEWAY_TOKEN or gateway.auth.token)', { http: 401 }),
  AUTH_TOKEN_NOT_CONFIGURED: detail('INVALID_REQUEST', AUTH_FAILURE, 'unauthorized: no gateway token is configured (set gateway.auth.token)', { http: 401 }),
  AUTH_PASSWORD_MISSING: detail('INVALID_REQUEST', AUTH_FAILURE, 'unauthorized: gateway password missing (send auth.password)', { http: 401 }),
  AUTH_PASSWORD_MISMATCH: detail('INVALID_REQUEST', AUTH_FAILURE, 'unauthorized: gateway password mismatch', { http: 401 }),
  AUTH_PASSWORD_NOT_CONFIGURED: detail('INVALID_REQUEST', AUTH_FAILURE, 'unauthorized: no gateway password is configured (set gateway.auth.password)', { http: 401 }),
  AUTH_RATE_LIMITED: detail('INVALID_REQUEST', AUTH_FAILURE, 'unauthorized: too many failed attempts; wait and retry', { http: 429, retryable: true }),
  DEVICE_AUTH_INVALID: detail('INVALID_REQUEST', DEVICE_FAILURE, (d) => `device auth failed: ${d.reason}`, { http: 401 }),
  DEVICE_AUTH_DEVICE_ID_MISMATCH: detail('INVALID_REQUEST', DEVICE_FAILURE, (d) => `device auth failed: ${d.reason}`, { http: 401 }),
  DEVICE_AUTH_SIGNATURE_EXPIRED: detail('INVALID_REQUEST', DEVICE_FAILURE, (d) => `device auth failed: ${d.reason}`, { http: 401 }),
  DEVICE_AUTH_NONCE_REQUIRED: detail('INVALID_REQUEST', DEVICE_FAILURE, (d) => `device auth failed: ${d.reason}`, { http: 401 }),
  DEVICE_AUTH_NONCE_MISMATCH: detail('INVALID_REQUEST', DEVICE_FAILURE, (d) => `device auth failed: ${d.reason}`, { http: 401 }),
  DEVICE_AUTH_SIGNATURE_INVALID: detail('INVALID_REQUEST', DEVICE_FAILURE, (d) => `device auth failed: ${d.reason}`, { http: 401 }),
  DEVICE_AUTH_PUBLIC_KEY_INVALID: detail('INVALID_REQUEST', DEVICE_FAILURE, (d) => `device auth failed: ${d.reason}`, { http: 401 }),
  // A browser page whose Origin is not this gateway's own nor in gateway.controlUi.allowedOrigins.
  CONTROL_UI_ORIGIN_NOT_ALLOWED: detail('INVALID_REQUEST', { reason: z.string() }, 'origin not allowed; add it to gateway.controlUi.allowedOrigins', { http: 403 }),
  // Answered by upstream gateways (this one takes no bootstrap or Tailscale credentials); catalogued
  // so the SDKs know which of upstream's refusals a retry cannot fix.
  AUTH_BOOTSTRAP_TOKEN_INVALID: detail('INVALID_REQUEST', AUTH_FAILURE, 'unauthorized: the bootstrap token is invalid or used up; ask for a new pairing code', { http: 401 }),
  AUTH_SCOPE_MISMATCH: detail('INVALID_REQUEST', AUTH_FAILURE, 'unauthorized: the requested scopes exceed what this credential grants; request fewer scopes', { http: 401 }),
  AUTH_TAILSCALE_IDENTITY_MISSING: detail('INVALID_REQUEST', AUTH_FAILURE, 'unauthorized: no Tailscale identity; connect through Tailscale Serve or send a token', { http: 401 }),
  AUTH_TAILSCALE_PROXY_MISSING: detail('INVALID_REQUEST', AUTH_FAILURE, 'unauthorized: the request did not come through Tailscale Serve', { http: 401 }),
  AUTH_TAILSCALE_WHOIS_FAILED: detail('INVALID_REQUEST', AUTH_FAILURE, 'unauthorized: the Tailscale identity lookup failed; retry', { http: 401, retryable: true }),
  AUTH_TAILSCALE_IDENTITY_MISMATCH: detail('INVALID_REQUEST', AUTH_FAILURE, 'unauthorized: the Tailscale identity does not match', { http: 401 }),
  CONTROL_UI_DEVICE_IDENTITY_REQUIRED: detail('INVALID_REQUEST', { reason: z.string().optional() }, 'the control UI must present a device identity (a secure context is needed to create one)', { http: 403 }),
  DEVICE_IDENTITY_REQUIRED: detail('NOT_PAIRED', { reason: z.string().optional() }, 'this gateway requires a device identity for this client; send one or connect as a backend client with the gateway token'),

  // ── dispatch (any method may answer these) ──────────────────────────────────────────
  MISSING_SCOPE: detail(
    'FORBIDDEN',
    { missingScope: z.string().optional(), requiredScopes: z.array(z.string()).optional(), role: z.string().optional(), requiredRole: z.string().optional() },
    (d) => (d.missingScope ? `missing scope: ${d.missingScope}` : `unauthorized role: ${d.role ?? 'unknown'}`),
  ),
  UNKNOWN_METHOD: detail('INVALID_REQUEST', {}, 'unknown method; hello-ok features.methods lists the callable ones'),
  INVALID_PARAMS: detail(
    'INVALID_REQUEST',
    { issues: ISSUES.optional(), field: z.string().optional(), value: z.string().optional(), accepted: z.array(z.string()).optional() },
    'invalid params',
  ),
  NOT_IMPLEMENTED: detail('UNAVAILABLE', { method: z.string() }, (d) => `${d.method} is not implemented by this gateway yet`),
  TOO_MANY_IN_FLIGHT: detail('UNAVAILABLE', { limit: int }, 'too many requests in flight on this connection; wait for answers before sending more', { retryable: true, http: 429 }),
  REQUEST_CANCELLED: detail('CANCELLED', {}, 'request cancelled by the client'),

  // ── gateway → client calls ──────────────────────────────────────────────────────────
  CLIENT_DISCONNECTED: detail('UNAVAILABLE', {}, 'the client is not connected'),
  CLIENT_TIMEOUT: detail('AGENT_TIMEOUT', {}, 'the client did not answer in time'),

  // ── config ──────────────────────────────────────────────────────────────────────────
  BASE_HASH_REQUIRED: detail('INVALID_REQUEST', {}, 'config base hash required; run config.get and pass its hash as baseHash'),
  BASE_HASH_MISMATCH: detail('CONFLICT', { currentHash: z.string().optional() }, 'config changed since it was read; run config.get again and retry'),
  CONFIG_INVALID: detail('INVALID_REQUEST', { issues: ISSUES.optional() }, 'invalid config; fix the keys named in details.issues'),

  // ── exec approvals (INVALID_REQUEST with details.reason repeating the code, as upstream answers) ──
  APPROVAL_NOT_FOUND: detail('INVALID_REQUEST', { reason: z.string(), status: z.string().optional() }, 'unknown or expired approval id; exec.approval.list shows the pending ones'),
  APPROVAL_ALLOW_ALWAYS_UNAVAILABLE: detail(
    'INVALID_REQUEST',
    { reason: z.string(), allowedDecisions: z.array(z.string()).optional() },
    'allow-always is not available for this request; use allow-once or deny',
  ),
  APPROVAL_ID_AMBIGUOUS: detail('INVALID_REQUEST', { reason: z.string() }, 'the approval id prefix matches several requests; give more of the id'),
  APPROVAL_STORE_FAILED: detail('UNAVAILABLE', {}, 'exec approvals could not be saved; retry', { retryable: true }),

  // ── sessions ────────────────────────────────────────────────────────────────────────
  SESSION_NOT_FOUND: detail('NOT_FOUND', { key: z.string() }, (d) => `session not found: ${d.key}; sessions.list shows the known sessions`),
  SESSION_BUSY: detail('CONFLICT', { key: z.string() }, (d) => `session ${d.key} is busy with a run or another operation; chat.abort it or wait for it to finish`),
  SUBSCRIPTION_LIMIT: detail('INVALID_REQUEST', { limit: int }, (d) => `a connection may follow at most ${d.limit} sessions; unsubscribe some, or use sessions.subscribe`),

  // ── agents and workspace files ──────────────────────────────────────────────────────
  AGENT_NOT_FOUND: detail('NOT_FOUND', { agentId: z.string() }, (d) => `unknown agent "${d.agentId}"; agents.list shows the configured agents`),
  AGENT_EXISTS: detail('CONFLICT', { agentId: z.string() }, (d) => `agent "${d.agentId}" already exists; use agents.update to change it`),
  AGENT_PROTECTED: detail('INVALID_REQUEST', { agentId: z.string() }, (d) => `agent "${d.agentId}" is built in and cannot be changed this way`),
  FILE_NOT_ALLOWED: detail('INVALID_REQUEST', { name: z.string() }, (d) => `file "${d.name}" is not allowed`),
  FILE_NOT_FOUND: detail('NOT_FOUND', { name: z.string() }, (d) => `${d.name} does not exist in the workspace yet; agents.files.set creates it`),

  // ── runs (chat, agent) and models ───────────────────────────────────────────────────
  RUN_NOT_FOUND: detail('NOT_FOUND', { runId: z.string() }, (d) => `run not found: ${d.runId} (finished runs are kept for 5 minutes)`),
  RUN_SESSION_MISMATCH: detail('INVALID_REQUEST', { runId: z.string(), sessionKey: z.string() }, 'runId does not match sessionKey'),
  MESSAGE_REQUIRED: detail('INVALID_REQUEST', {}, 'message or attachment required'),
  QUEUE_FULL: detail('UNAVAILABLE', { limit: int.optional(), overloaded: z.boolean().optional(), running: int.optional(), waiting: int.optional() }, 'too many runs are waiting; wait for some to finish', { retryable: true }),
  MODEL_NOT_FOUND: detail('INVALID_REQUEST', { model: z.string() }, (d) => `unknown model "${d.model}"; use "<provider>/<model>" with a provider from models.providers`),
  // The model provider failed; on HTTP a 502, as the gateway stands in front of it.
  PROVIDER_ERROR: detail('UNAVAILABLE', { errorKind: z.string() }, 'the model provider failed; the gateway log has the details', { http: 502 }),

  // ── cron ────────────────────────────────────────────────────────────────────────────
  JOB_NOT_FOUND: detail('NOT_FOUND', {}, 'unknown cron job id; cron.list shows the jobs'),
  SCHEDULE_INVALID: detail('INVALID_REQUEST', {}, 'invalid schedule; use at, every or a cron expression'),
  CRON_STORE_UNAVAILABLE: detail('UNAVAILABLE', {}, 'the cron job store could not be read or written; the gateway log says why'),
  CRON_JOB_LIMIT: detail('CONFLICT', {}, 'too many cron jobs (cron.maxJobs); remove some or raise the limit'),

  // ── channels ────────────────────────────────────────────────────────────────────────
  CHANNEL_NOT_FOUND: detail('NOT_FOUND', {}, 'unknown channel; channels.status shows the configured ones'),
  CHANNEL_LOGOUT_UNSUPPORTED: detail('INVALID_REQUEST', {}, 'this channel has no logout'),
  CHANNEL_ACCOUNT_NOT_FOUND: detail('NOT_FOUND', {}, 'the channel has no such account; channels.status lists the configured accounts'),
  CHANNEL_NOT_CONFIGURED: detail('INVALID_REQUEST', {}, 'the channel account is not configured; set its keys under channels.<channel>'),
  CHANNEL_AMBIGUOUS: detail('INVALID_REQUEST', {}, 'several channels are configured; pass channel'),
  CHANNEL_INTERNAL_ONLY: detail('INVALID_REQUEST', {}, 'webchat is internal-only; use chat.send for WebChat messages'),
  CHANNEL_NOT_CONNECTED: detail('UNAVAILABLE', { channel: z.string(), accountId: z.string() }, (d) => `${d.channel} account ${d.accountId} is not connected; channels.status says why`, { retryable: true }),
  CHANNEL_TARGET_INVALID: detail('INVALID_REQUEST', {}, 'invalid target for this channel'),
  CHANNEL_SEND_FAILED: detail('UNAVAILABLE', { channel: z.string(), accountId: z.string() }, (d) => `sending on ${d.channel} account ${d.accountId} failed`, { retryable: true }),
  PAIRING_CODE_NOT_FOUND: detail('NOT_FOUND', {}, 'no pending pairing request with this code; channel.pairing.list shows the pending ones'),

  // ── skills ──────────────────────────────────────────────────────────────────────────
  SKILL_NOT_FOUND: detail('NOT_FOUND', {}, 'unknown skill; skills.status shows the installed ones'),
  SKILL_INSTALLER_NOT_FOUND: detail('NOT_FOUND', {}, 'the skill has no installer with this id; skills.status lists its installers'),
  INSTALL_FAILED: detail('UNAVAILABLE', {}, 'the installer failed; its output says why'),

  // ── memory ──────────────────────────────────────────────────────────────────────────
  MEMORY_DISABLED: detail('UNAVAILABLE', {}, "memory search is off for this agent; set agents.defaults.memorySearch.enabled (or the agent's own) to true"),
  MEMORY_UNAVAILABLE: detail('UNAVAILABLE', {}, 'the memory index cannot be opened; the gateway log says why'),

  // ── devices and nodes (pairing, device tokens, node.invoke) ─────────────────────────
  PAIRING_REQUIRED: detail(
    'NOT_PAIRED',
    { requestId: z.string(), reason: z.string() },
    (d) => `pairing required: waiting for an operator to approve request ${d.requestId} (device.pair.approve, or node.pair.approve for a node); reconnect after that`,
    { http: 403 },
  ),
  AUTH_DEVICE_TOKEN_MISMATCH: detail('INVALID_REQUEST', AUTH_FAILURE, 'unauthorized: device token mismatch or revoked (connect with the gateway token to get a new one)', { http: 401 }),
  DEVICE_NOT_FOUND: detail('NOT_FOUND', {}, 'no such paired device; device.pair.list shows the paired ones'),
  DEVICE_PAIRING_NOT_FOUND: detail('NOT_FOUND', {}, 'unknown or expired device pairing request; device.pair.list shows the pending ones'),
  DEVICE_ROLE_NOT_PAIRED: detail('NOT_FOUND', {}, 'the device is not paired for this role; device.pair.list shows its roles'),
  DEVICE_STORE_FAILED: detail('UNAVAILABLE', {}, 'the pairing files could not be saved; the gateway log says why', { retryable: true }),
  NODE_NOT_FOUND: detail('NOT_FOUND', {}, 'unknown node; node.list shows the known nodes'),
  NOT_CONNECTED: detail('UNAVAILABLE', {}, 'the node is not connected; start its node host (openclaw node run) and retry', { retryable: true }),
  NODE_NOT_PAIRED: detail('NOT_PAIRED', {}, 'the node has no paired device identity; run it with one and approve it (node.pair.approve)'),
  NODE_PAIRING_NOT_FOUND: detail('NOT_FOUND', {}, 'unknown or expired node pairing request; node.pair.list shows the pending ones'),
  NODE_COMMAND_NOT_ALLOWED: detail('INVALID_REQUEST', { reason: z.string(), command: z.string() }, (d) => `node command not allowed: ${d.command} (${d.reason})`, { http: 403 }),
  NODE_INVOKE_FAILED: detail(
    'UNAVAILABLE',
    { nodeError: z.object({ code: z.string(), message: z.string() }), nodePayload: z.unknown().optional() },
    (d) => `the node could not run the command: ${d.nodeError.message}`,
  ),
  NODE_INVOKE_MISMATCH: detail('INVALID_REQUEST', {}, "nodeId is not this connection's node id"),
  SYSTEM_RUN_DENIED: detail(
    'FORBIDDEN',
    {
      nodeError: z.object({ code: z.string(), message: z.string() }).optional(),
      nodePayload: z.unknown().optional(),
      approvalId: z.string().optional(),
      decision: z.string().optional(),
      reasons: z.array(z.string()).optional(),
    },
    "system.run was denied by the node's exec policy or an approver",
  ),

  // ── logs ────────────────────────────────────────────────────────────────────────────
  LOG_UNAVAILABLE: detail('UNAVAILABLE', {}, 'cannot read the gateway log', { retryable: true }),
});

export type ErrorCatalogType = typeof ERROR_CATALOG;
/** Machine-readable `details.code` values. */
export type ErrorDetailCode = keyof ErrorCatalogType;
export const ERROR_DETAIL_CODES = Object.freeze(Object.keys(ERROR_CATALOG)) as readonly ErrorDetailCode[];

/** Codes any method may answer with: the dispatcher's own refusals and params errors. */
export const GENERIC_DETAIL_CODES = [
  'MISSING_SCOPE',
  'UNKNOWN_METHOD',
  'INVALID_PARAMS',
  'NOT_IMPLEMENTED',
  'TOO_MANY_IN_FLIGHT',
  'REQUEST_CANCELLED',
] as const satisfies readonly ErrorDetailCode[];
export type GenericDetailCode = (typeof GENERIC_DETAIL_CODES)[number];

/** The top-level code a detail code always comes with. */
export type TopCodeOf<C extends ErrorDetailCode> = ErrorCatalogType[C]['top'];
/** `details` as the wire carries it, `code` included. */
export type ErrorDetailsOf<C extends ErrorDetailCode> = z.output<ErrorCatalogType[C]['details']>;
/** `details` as a thrower writes it: everything but `code`. */
export type ErrorDetailFields<C extends ErrorDetailCode> = Omit<z.input<ErrorCatalogType[C]['details']>, 'code'>;

/** The HTTP status of a code, top-level or detail (a detail's own, else its top-level code's). */
export function httpStatusOf(code: ErrorCode | ErrorDetailCode): ErrorHttpStatus {
  if (Object.hasOwn(ERROR_HTTP_STATUS, code)) return ERROR_HTTP_STATUS[code as ErrorCode];
  const entry = ERROR_CATALOG[code as ErrorDetailCode];
  return entry.http ?? ERROR_HTTP_STATUS[entry.top];
}

/** A wire error's HTTP status: its `details.code`'s when catalogued, else its code's (500 for a code it does not know). */
export function httpStatusOfError(error: { readonly code: string; readonly details?: unknown }): ErrorHttpStatus {
  const detail = (error.details as { code?: unknown } | null | undefined)?.code;
  if (typeof detail === 'string' && Object.hasOwn(ERROR_CATALOG, detail)) return httpStatusOf(detail as ErrorDetailCode);
  return Object.hasOwn(ERROR_HTTP_STATUS, error.code) ? ERROR_HTTP_STATUS[error.code as ErrorCode] : 500;
}

export const ErrorShape = z.object({
  code: z.enum(ERROR_CODES).or(z.string().min(1)),
  message: z.string().min(1),
  details: z.unknown().optional(),
  retryable: z.boolean().optional(),
  retryAfterMs: z.number().int().min(0).optional(),
});
export type ErrorShape = z.infer<typeof ErrorShape>;

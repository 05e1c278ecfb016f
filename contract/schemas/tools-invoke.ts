// POST /tools/invoke (docs/http.md "/tools/invoke"): run one tool outside an agent turn.
import { z } from 'zod';
import { AgentId, IdempotencyKey, SessionKey } from './common.js';

const ToolName = z.string().min(1).max(128);

/**
 * `tool` is required, but v4 clients may name it `name` instead, so both are optional here and the
 * handler answers upstream's exact 400 (`tools.invoke requires body.tool`) when neither is given.
 */
export const ToolsInvokeRequest = z.strictObject({
  tool: ToolName.optional(),
  name: ToolName.optional(),
  /** Merged into `args.action` when the tool takes an action and args has none. */
  action: z.string().min(1).max(128).optional(),
  args: z.record(z.string(), z.unknown()).optional(),
  /** Absent or `main`: the configured main session. */
  sessionKey: SessionKey.optional(),
  /** Checks the tool, policy and arguments, then answers `{ok:true, result:{dryRun:true, …}}` without running it. */
  dryRun: z.boolean().optional(),
  agentId: AgentId.optional(),
  idempotencyKey: IdempotencyKey.optional(),
});
export type ToolsInvokeRequest = z.infer<typeof ToolsInvokeRequest>;

/** 200: the tool's raw return value. */
export const ToolsInvokeSuccess = z.object({ ok: z.literal(true), result: z.unknown() });

export const TOOLS_INVOKE_ERROR_TYPES = [
  'tool_error',
  'tool_denied',
  'tool_call_blocked',
  'forbidden',
  'not_found',
  'unauthorized',
  'rate_limited',
  'invalid_request_error',
  'payload_too_large',
  'request_timeout',
] as const;

/**
 * 400/401/403/404/405/408/413/429/500, all in this envelope. A denied tool is 403 `tool_denied`
 * with a message naming the config key that allows it; an unknown tool's 404 names close matches.
 */
export const ToolsInvokeError = z.object({
  ok: z.literal(false),
  error: z.object({ type: z.enum(TOOLS_INVOKE_ERROR_TYPES), message: z.string() }),
});
export type ToolsInvokeError = z.infer<typeof ToolsInvokeError>;

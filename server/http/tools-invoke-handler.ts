// POST /tools/invoke: runs one registered tool outside an agent turn, under the HTTP tool policy
// (dangerous tools denied unless gateway.tools.allow lists them). Bodies and statuses per
// docs/http.md "/tools/invoke": {ok:true, result} or {ok:false, error:{type, message}}.
import { httpStatusOf } from '../../contract/schemas/errors.js';
import type { Context } from 'hono';
import type { ToolsInvokeRequest } from '../../contract/schemas/tools-invoke.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { isToolError, TOOL_ERROR_CODE, type ToolError } from '../tools/tool-error.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import type { ToolPolicySubject } from '../tools/tool-types.js';
import { closeToolNames } from '../tools/tool-names.js';
import { jsonResponse, toolErrorBody } from './http-errors.js';
import { HTTP_CALLER } from './openai-run-deps.js';
import type { AgentLookup } from './openai-turn-target.js';

export interface ToolsInvokeDeps {
  readonly tools: ToolRegistry;
  readonly agents: AgentLookup;
  /** The session a call runs in: none or the alias `main` is the agent's main session (MainSession). */
  sessionKey(raw: string | undefined, agentId: string): string;
  readonly logger: GatewayLogger;
}

export const MISSING_TOOL_MESSAGE = 'tools.invoke requires body.tool';

function toolErrorResponse(error: ToolError, tools: ToolRegistry, logger: GatewayLogger): Response {
  const status = httpStatusOf(TOOL_ERROR_CODE[error.kind]);
  switch (error.kind) {
    case 'unknown_tool': {
      const near = closeToolNames(error.toolName, tools.list().map((t) => t.name));
      const hint = near.length ? `; did you mean ${near.join(' or ')}? (GET /tools/catalog lists the tools)` : ' (GET /tools/catalog lists the tools)';
      return jsonResponse(status, toolErrorBody('not_found', `Tool not available: ${error.toolName}${hint}`));
    }
    case 'denied':
      return jsonResponse(status, toolErrorBody('tool_denied', error.message));
    case 'invalid_args':
      return jsonResponse(status, toolErrorBody('tool_error', error.message));
    default:
      logger.warn('tool invoked over HTTP failed', { tool: error.toolName, kind: error.kind, error: error.message });
      return jsonResponse(status, toolErrorBody('tool_error', error.kind === 'aborted' ? 'tool call was aborted' : 'tool execution failed'));
  }
}

export function createToolsInvokeHandler(deps: ToolsInvokeDeps): (c: Context, body: ToolsInvokeRequest) => Promise<Response> {
  return async (c, body) => {
    const name = body.tool ?? body.name;
    if (!name) return jsonResponse(httpStatusOf('INVALID_REQUEST'), toolErrorBody('invalid_request_error', MISSING_TOOL_MESSAGE));
    const agentId = body.agentId ? body.agentId.toLowerCase() : deps.agents.defaultId();
    if (body.agentId && !deps.agents.get(agentId)) return jsonResponse(httpStatusOf('AGENT_NOT_FOUND'), toolErrorBody('not_found', `Unknown agent "${agentId}"; agents.list shows the configured agents.`));
    const sessionKey = deps.sessionKey(body.sessionKey, agentId);
    const subject: ToolPolicySubject = { agentId, caller: HTTP_CALLER, sessionKey };
    const info = deps.tools.get(name);
    let args: Record<string, unknown> = body.args ?? {};
    if (body.action !== undefined && info?.acceptsAction && args.action === undefined) args = Object.assign({}, args, { action: body.action });
    try {
      if (body.dryRun) {
        const checked = deps.tools.check(name, args, subject);
        return jsonResponse(200, { ok: true, result: { dryRun: true, tool: name, args: checked } });
      }
      const result = await deps.tools.invoke(name, args, { agentId, caller: HTTP_CALLER, sessionKey, toolCallId: `http-${Date.now()}`, signal: () => c.req.raw.signal });
      return jsonResponse(200, { ok: true, result: result ?? null });
    } catch (error) {
      if (isToolError(error)) return toolErrorResponse(error, deps.tools, deps.logger);
      deps.logger.error('tool invoked over HTTP threw', { tool: name, error: error instanceof Error ? error.message : String(error) });
      return jsonResponse(httpStatusOf('INTERNAL'), toolErrorBody('tool_error', 'tool execution failed'));
    }
  };
}

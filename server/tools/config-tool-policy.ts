// The tool policy written in openclaw.json: global `tools.allow/deny`, per-agent
// `agents.list[].tools.allow/deny`, and for HTTP callers a default deny of dangerous tools that
// `gateway.tools.allow` lifts and `gateway.tools.deny` extends (docs/http.md "/tools/invoke").
import { agentConfigIndex } from '../agents/agent-directory.js';
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import type { RegisteredToolInfo, ToolPolicyDecision, ToolPolicyHook, ToolPolicySubject } from './tool-types.js';

/** Denied over HTTP even when a tool does not flag itself dangerous (upstream's hard list). */
export const HTTP_DEFAULT_DENY: readonly string[] = [
  'exec',
  'spawn',
  'shell',
  'fs_write',
  'fs_delete',
  'fs_move',
  'apply_patch',
  'sessions_spawn',
  'sessions_send',
  'cron',
  'gateway',
  'nodes',
  'whatsapp_login',
];

/** `name`, `*` globs, or `group:<id>`. */
export function matchesToolPattern(pattern: string, tool: Pick<RegisteredToolInfo, 'name' | 'group'>): boolean {
  if (pattern.startsWith('group:')) return tool.group !== undefined && pattern.slice(6) === tool.group;
  if (!pattern.includes('*')) return pattern === tool.name;
  const regex = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(tool.name);
}

const anyMatch = (patterns: readonly string[] | undefined, tool: RegisteredToolInfo): boolean =>
  (patterns ?? []).some((p) => matchesToolPattern(p, tool));

function listPolicy(
  policy: { allow?: string[] | undefined; deny?: string[] | undefined } | undefined,
  tool: RegisteredToolInfo,
  keyPrefix: string,
): ToolPolicyDecision | undefined {
  if (!policy) return undefined;
  if (anyMatch(policy.deny, tool)) {
    return { allow: false, reason: `tool ${tool.name} is denied by ${keyPrefix}.deny; remove it from that list to use it`, configKey: `${keyPrefix}.deny` };
  }
  if (policy.allow && policy.allow.length > 0 && !anyMatch(policy.allow, tool)) {
    return { allow: false, reason: `tool ${tool.name} is not in ${keyPrefix}.allow; add it there to use it`, configKey: `${keyPrefix}.allow` };
  }
  return undefined;
}

/** Builds the config-driven hook; it reads the current config on every decision. */
export function configToolPolicy(config: () => OpenClawConfig): ToolPolicyHook {
  return (tool: RegisteredToolInfo, subject: ToolPolicySubject): ToolPolicyDecision | undefined => {
    const cfg = config();
    const global = listPolicy(cfg.tools, tool, 'tools');
    if (global) return global;
    const agentIndex = agentConfigIndex(cfg, subject.agentId);
    if (agentIndex >= 0) {
      const perAgent = listPolicy(cfg.agents!.list![agentIndex]!.tools, tool, `agents.list[${agentIndex}].tools`);
      if (perAgent) return perAgent;
    }
    if (subject.caller.kind === 'http') {
      const http = cfg.gateway?.tools;
      if (anyMatch(http?.deny, tool)) {
        return { allow: false, reason: `tool ${tool.name} is denied over HTTP by gateway.tools.deny`, configKey: 'gateway.tools.deny' };
      }
      const hardDenied = tool.dangerous || HTTP_DEFAULT_DENY.includes(tool.name);
      if (hardDenied && !anyMatch(http?.allow, tool)) {
        return {
          allow: false,
          reason: `tool ${tool.name} is denied over HTTP by default; add "${tool.name}" to gateway.tools.allow to allow it`,
          configKey: 'gateway.tools.allow',
        };
      }
    }
    return undefined;
  };
}

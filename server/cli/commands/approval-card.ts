// One pending exec approval as a person reads it: the command, who asks and why, and the time left.
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import type { Colors } from '../client/terminal-style.js';
import { relativeTime } from '../client/relative-time.js';
import { formatFields } from '../client/text-table.js';

export type ApprovalEntry = GatewayMethods['exec.approvals.list']['result'][number];

/** Ids are long; the first 8 characters are a unique prefix in practice (the gateway accepts prefixes). */
export const shortId = (id: string): string => id.slice(0, 8);

export function approvalCard(entry: ApprovalEntry, c: Colors): string {
  const r = entry.request;
  return [
    `${c.bold(c.yellow('exec approval'))} ${shortId(entry.id)}  ${c.dim(`(expires ${relativeTime(entry.expiresAtMs)})`)}`,
    `  ${c.bold('$')} ${r.commandPreview ?? r.command}`,
    formatFields(
      [
        ['agent', r.agentId ?? '-'],
        r.sessionKey ? ['session', r.sessionKey] : undefined,
        r.cwd ? ['cwd', r.cwd] : undefined,
        r.host ? ['host', `${r.host}${r.nodeId ? ` (${r.nodeId})` : ''}`] : undefined,
        r.reasons?.length ? ['why', r.reasons.join('; ')] : undefined,
        r.envKeys?.length ? ['env', r.envKeys.join(', ')] : undefined,
      ],
      c,
      '  ',
    ),
  ].join('\n');
}

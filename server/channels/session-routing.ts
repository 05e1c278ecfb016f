// Which agent answers an inbound message (bindings[], most specific first: peer, account,
// channel; else the default agent) and its session key in upstream's format:
// DMs by session.dmScope (`agent:<id>:<channel>:direct:<peer>` by default here), groups
// `agent:<id>:<channel>:group:<group>`; accounts other than the default add their id after the channel.
import { AgentBinding } from '../../contract/schemas/channels-config.js';
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import { DEFAULT_ACCOUNT_ID } from './channel-adapter.js';

export interface RouteTarget {
  readonly channel: string;
  readonly accountId: string;
  readonly chatType: 'direct' | 'group';
  readonly peerId: string;
}

const kindOf = (kind: string): 'direct' | 'group' => (kind === 'direct' || kind === 'dm' ? 'direct' : 'group');

/** The bound agent id (as written in the binding), or undefined for the default agent. */
export function boundAgentId(bindings: readonly unknown[] | undefined, target: RouteTarget): string | undefined {
  let best: { score: number; agentId: string } | undefined;
  for (const entry of bindings ?? []) {
    // The config keeps bindings open (upstream has kinds this gateway does not route); unreadable ones never match.
    const parsed = AgentBinding.safeParse(entry);
    if (!parsed.success) continue;
    const binding = parsed.data;
    const m = binding.match;
    if (m.channel.toLowerCase() !== target.channel) continue;
    const accountOk = m.accountId === '*' || (m.accountId ?? DEFAULT_ACCOUNT_ID) === target.accountId;
    if (!accountOk) continue;
    let score = m.accountId && m.accountId !== '*' ? 2 : 1;
    if (m.peer) {
      if (kindOf(m.peer.kind) !== target.chatType || m.peer.id.toLowerCase() !== target.peerId.toLowerCase()) continue;
      score += 4;
    }
    if (!best || score > best.score) best = { score, agentId: binding.agentId.toLowerCase() };
  }
  return best?.agentId;
}

/** Session keys are case-insensitive in their peer part: IRC nicks and channels are. */
export function channelSessionKey(config: OpenClawConfig, agentId: string, target: RouteTarget): string {
  const peer = target.peerId.toLowerCase();
  const account = target.accountId === DEFAULT_ACCOUNT_ID ? '' : `${target.accountId.toLowerCase()}:`;
  if (target.chatType === 'group') return `agent:${agentId}:${target.channel}:${account}group:${peer}`;
  const scope = config.session?.dmScope ?? 'per-channel-peer';
  if (scope === 'main') return `agent:${agentId}:${config.session?.mainKey ?? 'main'}`;
  if (scope === 'per-peer') return `agent:${agentId}:direct:${peer}`;
  if (scope === 'per-account-channel-peer') return `agent:${agentId}:${target.channel}:${target.accountId.toLowerCase()}:direct:${peer}`;
  return `agent:${agentId}:${target.channel}:${account}direct:${peer}`;
}

/** The peer a channel session key names, for replies from tools (`message` without `to`). */
export function targetOfSessionKey(key: string): { channel: string; accountId: string; to: string } | undefined {
  const parts = key.split(':');
  if (parts[0] !== 'agent' || parts.length < 5) return undefined;
  const [, , channel, ...rest] = parts;
  const kindAt = rest.findIndex((p) => p === 'direct' || p === 'group');
  if (!channel || kindAt < 0 || kindAt > 1) return undefined;
  const to = rest.slice(kindAt + 1).join(':');
  if (!to) return undefined;
  return { channel, accountId: kindAt === 1 ? rest[0]! : DEFAULT_ACCOUNT_ID, to };
}

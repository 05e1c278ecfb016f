// Who may reach the agent (upstream's semantics): DMs by dmPolicy (pairing by default) against
// allowFrom and the senders pairing approved; groups by groupPolicy (allowlist by default) against
// `groups`, then the sender against the group's allowFrom or groupAllowFrom, then mention gating.
import type { AccessSettings, GroupSettings, InboundMessage } from './channel-adapter.js';

export type AccessDecision =
  | { readonly kind: 'allow'; readonly text: string; readonly group?: GroupSettings | undefined }
  /** An unknown DM sender under dmPolicy pairing: answer with a pairing code, nothing reaches the model. */
  | { readonly kind: 'pair' }
  | { readonly kind: 'drop'; readonly reason: string };

const matches = (list: readonly string[], candidates: readonly string[]): boolean => list.includes('*') || candidates.some((c) => list.includes(c));

const NICK_CHARS = 'A-Za-z0-9_\\-\\[\\]\\\\`^{|}';
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** True when the text names one of `names` as a word, or matches a configured pattern. */
export function isMentioned(text: string, names: readonly string[], patterns: readonly RegExp[]): boolean {
  for (const name of names) {
    if (name && new RegExp(`(^|[^${NICK_CHARS}])${escape(name)}($|[^${NICK_CHARS}])`, 'i').test(text)) return true;
  }
  return patterns.some((p) => p.test(text));
}

/** `bot: hello` → `hello`; other text stays as it is. */
export function stripLeadingMention(text: string, names: readonly string[]): string {
  for (const name of names) {
    const m = new RegExp(`^\\s*@?${escape(name)}[:,]\\s*`, 'i').exec(text);
    if (m) return text.slice(m[0].length);
  }
  return text;
}

export function decideAccess(message: InboundMessage, access: AccessSettings, paired: readonly string[], selfNames: readonly string[]): AccessDecision {
  const candidates = message.sender.allowCandidates;
  if (message.chatType === 'direct') {
    if (access.dmPolicy === 'disabled') return { kind: 'drop', reason: 'dmPolicy=disabled' };
    if (access.dmPolicy === 'open' || matches(access.allowFrom, candidates) || matches(paired, candidates)) return { kind: 'allow', text: message.text };
    if (access.dmPolicy === 'pairing') return { kind: 'pair' };
    return { kind: 'drop', reason: 'sender not in allowFrom' };
  }
  if (access.groupPolicy === 'disabled') return { kind: 'drop', reason: 'groupPolicy=disabled' };
  const own = access.groups[message.peerId.toLowerCase()];
  const wildcard = access.groups['*'];
  if (access.groupPolicy === 'allowlist' && !own && !wildcard) return { kind: 'drop', reason: `group ${message.peerId} not in groups (groupPolicy=allowlist)` };
  if (own?.enabled === false || (!own && wildcard?.enabled === false)) return { kind: 'drop', reason: 'group disabled' };
  const groupList = own?.allowFrom ?? wildcard?.allowFrom;
  const senderAllowed = groupList
    ? matches(groupList, candidates)
    : access.groupAllowFrom.length > 0
      ? matches(access.groupAllowFrom, candidates)
      : access.groupPolicy === 'open' || matches(access.allowFrom, candidates) || matches(paired, candidates);
  if (!senderAllowed) return { kind: 'drop', reason: 'sender not allowed in this group' };
  const requireMention = own?.requireMention ?? wildcard?.requireMention ?? true;
  if (requireMention && !isMentioned(message.text, selfNames, access.mentionPatterns)) return { kind: 'drop', reason: 'not mentioned' };
  return { kind: 'allow', text: stripLeadingMention(message.text, selfNames), group: own ?? wildcard };
}

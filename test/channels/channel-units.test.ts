// The pure parts of the channel framework and the IRC adapter: line parsing and splitting, access
// policy, pairing codes, session keys and bindings.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decideAccess, isMentioned } from '../../server/channels/access-policy.js';
import type { AccessSettings, InboundMessage } from '../../server/channels/channel-adapter.js';
import { ChannelPairing, PAIRING_MAX_PENDING, PAIRING_TTL_MS } from '../../server/channels/channel-pairing.js';
import { fileChannelStateStore } from '../../server/channels/channel-state-store.js';
import { formatIrcLine, parseIrcLine, parseSource } from '../../server/channels/irc/irc-line.js';
import { splitForIrc } from '../../server/channels/irc/irc-text-split.js';
import { listIrcAccounts } from '../../server/channels/irc/irc-accounts.js';
import { boundAgentId, channelSessionKey, targetOfSessionKey } from '../../server/channels/session-routing.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('IRC lines', () => {
  it('parses prefix, command, middle and trailing params, and IRCv3 tags', () => {
    expect(parseIrcLine('@time=x :a!b@c PRIVMSG #chan :hello :world')).toEqual({ prefix: 'a!b@c', command: 'PRIVMSG', params: ['#chan', 'hello :world'] });
    expect(parseIrcLine('PING :irc.example')).toEqual({ prefix: '', command: 'PING', params: ['irc.example'] });
    expect(parseIrcLine('')).toBeUndefined();
    expect(parseSource('nick!~user@host')).toEqual({ nick: 'nick', user: '~user', host: 'host' });
  });

  it('never lets CR or LF into a line', () => {
    expect(formatIrcLine('PRIVMSG', ['#c'], 'a\r\nQUIT :x')).toBe('PRIVMSG #c :a  QUIT :x');
    expect(() => formatIrcLine('PRIVMSG', ['two words'], 'x')).toThrow();
  });

  it('splits to 512 bytes per relayed line, multi-byte characters intact', () => {
    const mask = 'bot!~bot@127.0.0.1';
    const text = `${'é'.repeat(700)} ${'x'.repeat(30)}\n\nline two`;
    const parts = splitForIrc(text, { selfMask: mask, target: '#chan', chunkChars: 100_000 });
    for (const p of parts) expect(Buffer.byteLength(`:${mask} PRIVMSG #chan :${p}\r\n`)).toBeLessThanOrEqual(512);
    expect(parts.join('')).toBe(`${'é'.repeat(700)}${'x'.repeat(30)}line two`);
    expect(parts.at(-1)).toBe('line two');
    expect(splitForIrc('a b c d e f', { selfMask: mask, target: 'n', chunkChars: 3 })).toEqual(['a b', 'c d', 'e f']);
  });
});

const access = (over: Partial<AccessSettings> = {}): AccessSettings => ({
  dmPolicy: 'pairing',
  allowFrom: [],
  groupPolicy: 'allowlist',
  groupAllowFrom: [],
  groups: {},
  mentionPatterns: [],
  ...over,
});
const msg = (over: Partial<InboundMessage> = {}): InboundMessage => ({
  chatType: 'direct',
  peerId: 'alice',
  sender: { id: 'alice!~a@h', name: 'alice', allowCandidates: ['alice!~a@h', 'alice!~a', 'alice@h'] },
  text: 'hi',
  receivedAt: 0,
  ...over,
});

describe('access policy', () => {
  it('DMs: pairing for strangers, allowFrom and paired senders pass, allowlist drops, open admits', () => {
    expect(decideAccess(msg(), access(), [], ['bot']).kind).toBe('pair');
    expect(decideAccess(msg(), access({ allowFrom: ['alice!~a@h'] }), [], ['bot']).kind).toBe('allow');
    expect(decideAccess(msg(), access(), ['alice@h'], ['bot']).kind).toBe('allow');
    expect(decideAccess(msg(), access({ dmPolicy: 'allowlist' }), [], ['bot']).kind).toBe('drop');
    expect(decideAccess(msg(), access({ dmPolicy: 'open', allowFrom: ['*'] }), [], ['bot']).kind).toBe('allow');
    expect(decideAccess(msg(), access({ dmPolicy: 'disabled', allowFrom: ['*'] }), [], ['bot']).kind).toBe('drop');
  });

  it('groups: allowlisted groups only, sender lists, mention gating with nick and patterns', () => {
    const g = msg({ chatType: 'group', peerId: '#room', text: 'bot: status?' });
    expect(decideAccess(g, access(), [], ['bot'])).toMatchObject({ kind: 'drop' });
    const allowed = access({ groups: { '#room': { requireMention: true } }, groupAllowFrom: ['alice!~a@h'] });
    expect(decideAccess(g, allowed, [], ['bot'])).toEqual({ kind: 'allow', text: 'status?', group: { requireMention: true } });
    expect(decideAccess({ ...g, text: 'no mention here' }, allowed, [], ['bot'])).toMatchObject({ kind: 'drop', reason: 'not mentioned' });
    expect(decideAccess({ ...g, text: 'robot wars' }, allowed, [], ['bot']).kind).toBe('drop');
    expect(decideAccess({ ...g, text: 'hey claw' }, { ...allowed, mentionPatterns: [/\bclaw\b/i] }, [], ['bot']).kind).toBe('allow');
    expect(decideAccess(g, access({ groups: { '#room': {} } }), [], ['bot'])).toMatchObject({ kind: 'drop', reason: 'sender not allowed in this group' });
    expect(decideAccess(g, access({ groupPolicy: 'open' }), [], ['bot']).kind).toBe('allow');
    expect(decideAccess(g, access({ groups: { '*': { enabled: false } }, groupPolicy: 'open' }), [], ['bot']).kind).toBe('drop');
    expect(isMentioned('hi [bot]!', ['[bot]'], [])).toBe(true);
  });
});

describe('pairing', () => {
  it('codes are 8 unambiguous characters, reused per sender, at most 3 pending, expire after an hour', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openclaw-pairing-'));
    dirs.push(dir);
    let now = Date.parse('2026-01-01T00:00:00Z');
    const pairing = new ChannelPairing(fileChannelStateStore(dir, () => {}), () => now);
    const first = pairing.request('irc', 'default', 'Alice!~a@h', { name: 'Alice' });
    expect(first.kind).toBe('created');
    const code = first.kind === 'created' ? first.request.code : '';
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    expect(pairing.request('irc', 'default', 'alice!~a@h', {})).toMatchObject({ kind: 'pending', request: { code } });
    for (let i = 1; i < PAIRING_MAX_PENDING; i++) expect(pairing.request('irc', 'default', `u${i}!x@h`, {}).kind).toBe('created');
    expect(pairing.request('irc', 'default', 'late!x@h', {}).kind).toBe('full');
    expect(pairing.approve('irc', code.toLowerCase())?.id).toBe('alice!~a@h');
    expect(pairing.approved('irc', 'default')).toEqual(['alice!~a@h']);
    // A second store on the same dir reads what the first wrote (upstream's file layout).
    expect(new ChannelPairing(fileChannelStateStore(dir, () => {})).approved('irc', 'default')).toEqual(['alice!~a@h']);
    now += PAIRING_TTL_MS + 1;
    expect(pairing.list('irc')).toEqual([]);
  });
});

describe('routing', () => {
  const target = { channel: 'irc', accountId: 'default', chatType: 'direct' as const, peerId: 'Alice' };
  it('session keys follow upstream: per-channel-peer DMs, groups, account segment, dmScope', () => {
    expect(channelSessionKey({}, 'main', target)).toBe('agent:main:irc:direct:alice');
    expect(channelSessionKey({}, 'main', { ...target, chatType: 'group', peerId: '#Room' })).toBe('agent:main:irc:group:#room');
    expect(channelSessionKey({}, 'main', { ...target, accountId: 'work' })).toBe('agent:main:irc:work:direct:alice');
    expect(channelSessionKey({ session: { dmScope: 'main' } }, 'main', target)).toBe('agent:main:main');
    expect(targetOfSessionKey('agent:main:irc:work:direct:alice')).toEqual({ channel: 'irc', accountId: 'work', to: 'alice' });
    expect(targetOfSessionKey('agent:main:irc:group:#room')).toEqual({ channel: 'irc', accountId: 'default', to: '#room' });
  });

  it('bindings: peer beats account beats channel; other channels and accounts do not match', () => {
    const bindings = [
      { agentId: 'chan', match: { channel: 'irc' } },
      { agentId: 'acct', match: { channel: 'irc', accountId: 'default' } },
      { agentId: 'peer', match: { channel: 'irc', peer: { kind: 'dm' as const, id: 'alice' } } },
      { agentId: 'other', match: { channel: 'telegram' } },
    ];
    expect(boundAgentId(bindings, target)).toBe('peer');
    expect(boundAgentId(bindings, { ...target, peerId: 'bob' })).toBe('acct');
    expect(boundAgentId(bindings.slice(0, 1), { ...target, accountId: 'work' })).toBeUndefined();
    expect(boundAgentId([], target)).toBeUndefined();
  });

  it('accounts: channels.irc is the default account, accounts.* inherit its keys', () => {
    const accounts = listIrcAccounts({ channels: { irc: { host: 'irc.example', nick: 'bot', channels: ['#a'], accounts: { work: { nick: 'workbot' } } } } });
    expect(accounts.map((a) => [a.accountId, (a.settings as { host: string; nick: string; port: number }).host, (a.settings as { nick: string }).nick])).toEqual([
      ['default', 'irc.example', 'bot'],
      ['work', 'irc.example', 'workbot'],
    ]);
    expect((accounts[0]!.settings as { port: number; tls: boolean }).port).toBe(6697);
    expect(accounts[0]!.access).toMatchObject({ dmPolicy: 'pairing', groupPolicy: 'allowlist' });
    expect(listIrcAccounts({ channels: { irc: { nick: 'x' } } })[0]).toMatchObject({ configured: false, missing: 'channels.irc.host' });
  });
});

// DM pairing: an unknown sender gets a short code (8 characters without look-alikes, valid for an
// hour, at most 3 pending per account, as upstream); an operator approves it over WS and the
// sender joins the account's allowFrom store.
import { randomInt } from 'node:crypto';
import type { ChannelPairingRequest } from '../../contract/schemas/channels.js';
import type { ChannelStateStore } from './channel-state-store.js';

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;
export const PAIRING_TTL_MS = 60 * 60 * 1000;
export const PAIRING_MAX_PENDING = 3;

export type PairingOutcome =
  | { readonly kind: 'created'; readonly request: ChannelPairingRequest }
  | { readonly kind: 'pending'; readonly request: ChannelPairingRequest }
  | { readonly kind: 'full' };

const accountOf = (r: ChannelPairingRequest): string => r.meta?.accountId ?? 'default';

export class ChannelPairing {
  constructor(
    private readonly store: ChannelStateStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Live requests of a channel (expired ones are dropped from the store on the way). */
  list(channel: string, accountId?: string): ChannelPairingRequest[] {
    const all = this.store.pairingRequests(channel);
    const live = all.filter((r) => this.now() - Date.parse(r.createdAt) <= PAIRING_TTL_MS);
    if (live.length !== all.length) this.store.savePairingRequests(channel, live);
    return accountId === undefined ? live : live.filter((r) => accountOf(r) === accountId);
  }

  /** A sender asks: reuse their pending code, or create one unless the account has 3 pending. */
  request(channel: string, accountId: string, senderId: string, meta: Record<string, string>): PairingOutcome {
    const live = this.list(channel);
    const id = senderId.toLowerCase();
    const existing = live.find((r) => r.id === id && accountOf(r) === accountId);
    const nowIso = new Date(this.now()).toISOString();
    if (existing) {
      const touched = { ...existing, lastSeenAt: nowIso };
      this.store.savePairingRequests(channel, live.map((r) => (r === existing ? touched : r)));
      return { kind: 'pending', request: touched };
    }
    if (live.filter((r) => accountOf(r) === accountId).length >= PAIRING_MAX_PENDING) return { kind: 'full' };
    const codes = new Set(live.map((r) => r.code));
    let code = '';
    do code = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
    while (codes.has(code));
    const request: ChannelPairingRequest = { id, code, createdAt: nowIso, lastSeenAt: nowIso, meta: { ...meta, accountId } };
    this.store.savePairingRequests(channel, [...live, request]);
    return { kind: 'created', request };
  }

  /** Approves a code: the request goes, its sender joins allowFrom. Undefined for an unknown code. */
  approve(channel: string, code: string, accountId?: string): ChannelPairingRequest | undefined {
    const live = this.list(channel);
    const wanted = code.trim().toUpperCase();
    const match = live.find((r) => r.code === wanted && (accountId === undefined || accountOf(r) === accountId));
    if (!match) return undefined;
    const account = accountOf(match);
    const allow = this.store.allowFrom(channel, account);
    if (!allow.includes(match.id)) this.store.saveAllowFrom(channel, account, [...allow, match.id]);
    this.store.savePairingRequests(channel, live.filter((r) => r !== match));
    return match;
  }

  /** Senders approved through pairing for this account. */
  approved(channel: string, accountId: string): string[] {
    return this.store.allowFrom(channel, accountId);
  }
}

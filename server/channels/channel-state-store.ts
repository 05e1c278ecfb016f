// Channel state that outlives a restart: pending pairing requests, the allowFrom entries pairing
// approved, and accounts an operator stopped or logged out. Behind a small interface whose
// default is files in the state dir, laid out as upstream does (credentials/<channel>-pairing.json,
// credentials/<channel>-<account>-allowFrom.json).
import { join } from 'node:path';
import { z } from 'zod';
import { ChannelPairingRequest, type ChannelPairingRequest as PairingRequest } from '../../contract/schemas/channels.js';
import { fileDocumentStore, type DocumentStore } from '../state/document-store.js';

/** An account kept stopped: by channels.stop or channels.logout, until its config changes. */
export interface HeldAccount {
  readonly reason: 'stopped' | 'logged-out';
  readonly at: number;
  /** The account's fingerprint when it was held; a different one releases it. */
  readonly fingerprint: string;
}

export interface ChannelStateStore {
  readonly location: string;
  pairingRequests(channel: string): PairingRequest[];
  savePairingRequests(channel: string, requests: readonly PairingRequest[]): void;
  allowFrom(channel: string, accountId: string): string[];
  saveAllowFrom(channel: string, accountId: string, entries: readonly string[]): void;
  heldAccounts(): Record<string, HeldAccount>;
  saveHeldAccounts(held: Readonly<Record<string, HeldAccount>>): void;
}

const PairingFile = z.object({ version: z.literal(1), requests: z.array(ChannelPairingRequest) });
const AllowFromFile = z.object({ version: z.literal(1), allowFrom: z.array(z.string()) });
const HeldFile = z.object({
  version: z.literal(1),
  accounts: z.record(z.string(), z.object({ reason: z.enum(['stopped', 'logged-out']), at: z.number(), fingerprint: z.string() })),
});

/** File names may only hold safe characters (channel and account ids come from config). */
const safe = (id: string): string => id.trim().toLowerCase().replace(/[^a-z0-9_-]/g, '_') || '_';

/** Reads each file once, then serves from memory; every change is written through atomically. */
export function fileChannelStateStore(stateDir: string, onInvalid: (location: string, reason: string) => void): ChannelStateStore {
  const credentials = join(stateDir, 'credentials');
  const cache = new Map<string, unknown>();
  const stores = new Map<string, DocumentStore<unknown>>();
  const read = <T>(path: string, schema: z.ZodType<T>, empty: T): T => {
    if (cache.has(path)) return cache.get(path) as T;
    const store = fileDocumentStore(path, schema, { quarantineInvalid: true, indent: 2 });
    stores.set(path, store as DocumentStore<unknown>);
    const loaded = store.load();
    if (loaded.state === 'invalid') onInvalid(path, loaded.reason);
    const value = loaded.state === 'ok' ? loaded.value : empty;
    cache.set(path, value);
    return value;
  };
  const write = <T>(path: string, schema: z.ZodType<T>, value: T): void => {
    const store = stores.get(path) ?? fileDocumentStore(path, schema, { indent: 2 });
    store.save(value);
    cache.set(path, value);
  };
  const pairingPath = (channel: string) => join(credentials, `${safe(channel)}-pairing.json`);
  const allowPath = (channel: string, accountId: string) => join(credentials, `${safe(channel)}-${safe(accountId)}-allowFrom.json`);
  const heldPath = join(stateDir, 'channels', 'held-accounts.json');
  return {
    location: credentials,
    pairingRequests: (channel) => [...read(pairingPath(channel), PairingFile, { version: 1 as const, requests: [] }).requests],
    savePairingRequests: (channel, requests) => write(pairingPath(channel), PairingFile, { version: 1 as const, requests: [...requests] }),
    allowFrom: (channel, accountId) => [...read(allowPath(channel, accountId), AllowFromFile, { version: 1 as const, allowFrom: [] }).allowFrom],
    saveAllowFrom: (channel, accountId, entries) => write(allowPath(channel, accountId), AllowFromFile, { version: 1 as const, allowFrom: [...entries] }),
    heldAccounts: () => ({ ...read(heldPath, HeldFile, { version: 1 as const, accounts: {} }).accounts }),
    saveHeldAccounts: (held) => write(heldPath, HeldFile, { version: 1 as const, accounts: { ...held } }),
  };
}

// The pairing state behind a small interface: four documents in the state dir (devices/ and nodes/,
// pending and paired), loaded once and kept in memory, each change written atomically (0600). A
// file that does not read is set aside and reported; the gateway starts with it empty.
import { join } from 'node:path';
import type { z } from 'zod';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { fileDocumentStore, type DocumentStore } from '../state/document-store.js';
import {
  PairedDevices,
  PairedNodes,
  PendingDevices,
  PendingNodes,
  type PairedDevice,
  type PairedNodeRecord,
  type PendingDevice,
  type PendingNode,
} from './device-records.js';
import { hashToken } from './device-token.js';

/** How long a pairing request waits for a decision (upstream: 5 minutes). */
export const PENDING_TTL_MS = 5 * 60_000;

export interface PairingState {
  readonly pendingDevices: Map<string, PendingDevice>;
  readonly pairedDevices: Map<string, PairedDevice>;
  readonly pendingNodes: Map<string, PendingNode>;
  readonly pairedNodes: Map<string, PairedNodeRecord>;
}

export type PairingPart = keyof PairingState;

export interface PairingStore {
  readonly state: PairingState;
  readonly location: string;
  /** Writes one part; throws when the write fails (the caller answers DEVICE_STORE_FAILED). */
  save(part: PairingPart): void;
}

function loadMap<S extends z.ZodType<Record<string, unknown>>>(doc: DocumentStore<z.output<S>>, logger: GatewayLogger): Map<string, z.output<S>[string]> {
  const loaded = doc.load();
  if (loaded.state === 'invalid') {
    logger.error('pairing file unreadable; starting it empty', { file: doc.location, reason: loaded.reason, movedTo: loaded.movedTo });
    return new Map();
  }
  return new Map(loaded.state === 'ok' ? (Object.entries(loaded.value) as [string, z.output<S>[string]][]) : []);
}

/** Upstream files carry tokens in the clear: keep only their hashes. Returns whether anything changed. */
function hashPlaintextTokens(state: PairingState): { devices: boolean; nodes: boolean } {
  let devices = false;
  for (const device of state.pairedDevices.values()) {
    for (const token of Object.values(device.tokens ?? {})) {
      if (token.token === undefined) continue;
      token.hash ??= hashToken(token.token);
      delete token.token;
      devices = true;
    }
  }
  let nodes = false;
  for (const node of state.pairedNodes.values()) {
    if (node.token === undefined) continue;
    node.tokenHash ??= hashToken(node.token);
    delete node.token;
    nodes = true;
  }
  return { devices, nodes };
}

export function filePairingStore(stateDir: string, logger: GatewayLogger): PairingStore {
  const options = { quarantineInvalid: true, indent: 2 };
  const docs = {
    pendingDevices: fileDocumentStore(join(stateDir, 'devices', 'pending.json'), PendingDevices, options),
    pairedDevices: fileDocumentStore(join(stateDir, 'devices', 'paired.json'), PairedDevices, options),
    pendingNodes: fileDocumentStore(join(stateDir, 'nodes', 'pending.json'), PendingNodes, options),
    pairedNodes: fileDocumentStore(join(stateDir, 'nodes', 'paired.json'), PairedNodes, options),
  } as const;
  const state: PairingState = {
    pendingDevices: loadMap(docs.pendingDevices, logger) as Map<string, PendingDevice>,
    pairedDevices: loadMap(docs.pairedDevices, logger) as Map<string, PairedDevice>,
    pendingNodes: loadMap(docs.pendingNodes, logger) as Map<string, PendingNode>,
    pairedNodes: loadMap(docs.pairedNodes, logger) as Map<string, PairedNodeRecord>,
  };
  const save = (part: PairingPart): void => {
    (docs[part] as DocumentStore<Record<string, unknown>>).save(Object.fromEntries(state[part]));
  };
  const migrated = hashPlaintextTokens(state);
  try {
    if (migrated.devices) save('pairedDevices');
    if (migrated.nodes) save('pairedNodes');
  } catch (error) {
    logger.error('could not rewrite pairing files without plaintext tokens', { error: (error as Error).message });
  }
  return { state, location: join(stateDir, 'devices'), save };
}

/** Drops requests older than the TTL; returns the dropped ones. */
export function pruneExpired<T extends { ts: number }>(pending: Map<string, T>, now: number): T[] {
  const dropped: T[] = [];
  for (const [id, request] of pending) {
    if (now - request.ts > PENDING_TTL_MS) {
      pending.delete(id);
      dropped.push(request);
    }
  }
  return dropped;
}

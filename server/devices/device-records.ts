// What the pairing files hold (upstream's layout: devices/pending.json and devices/paired.json keyed
// by request and device id, nodes/… for node.pair.request pairings). Tokens are kept as SHA-256
// hashes; a plaintext `token` found in an upstream file is hashed on load and never written back.
import { z } from 'zod';

const Text = z.string().max(4096);
const Names = z.array(z.string().max(256)).max(1024);

export const StoredToken = z.looseObject({
  /** hex SHA-256 of the token. */
  hash: z.string().optional(),
  /** Upstream files keep the token itself; read once, then replaced by its hash. */
  token: z.string().optional(),
  role: z.string(),
  scopes: z.array(z.string()).default([]),
  createdAtMs: z.number(),
  rotatedAtMs: z.number().optional(),
  revokedAtMs: z.number().optional(),
  lastUsedAtMs: z.number().optional(),
});
export type StoredToken = z.infer<typeof StoredToken>;

/** What a device said about itself when it asked to pair (kept on the request and the paired record). */
const DeviceDescription = {
  deviceId: z.string(),
  publicKey: z.string(),
  displayName: Text.optional(),
  platform: Text.optional(),
  deviceFamily: Text.optional(),
  clientId: Text.optional(),
  clientMode: Text.optional(),
  role: z.string().optional(),
  roles: z.array(z.string()).optional(),
  /** Operator scopes asked for (pending) or approved (paired). */
  scopes: z.array(z.string()).optional(),
  remoteIp: Text.optional(),
  caps: Names.optional(),
  /** Node role: the commands declared (pending) or approved (paired). */
  commands: Names.optional(),
};

export const PendingDevice = z.looseObject({
  requestId: z.string(),
  ...DeviceDescription,
  silent: z.boolean().optional(),
  isRepair: z.boolean().optional(),
  ts: z.number(),
});
export type PendingDevice = z.infer<typeof PendingDevice>;

export const PairedDevice = z.looseObject({
  ...DeviceDescription,
  tokens: z.record(z.string(), StoredToken).optional(),
  createdAtMs: z.number(),
  approvedAtMs: z.number(),
});
export type PairedDevice = z.infer<typeof PairedDevice>;

export const PendingNode = z.looseObject({
  requestId: z.string(),
  nodeId: z.string(),
  displayName: Text.optional(),
  platform: Text.optional(),
  version: Text.optional(),
  coreVersion: Text.optional(),
  uiVersion: Text.optional(),
  deviceFamily: Text.optional(),
  modelIdentifier: Text.optional(),
  caps: Names.optional(),
  commands: Names.optional(),
  remoteIp: Text.optional(),
  silent: z.boolean().optional(),
  isRepair: z.boolean().optional(),
  ts: z.number(),
});
export type PendingNode = z.infer<typeof PendingNode>;

export const PairedNodeRecord = z.looseObject({
  nodeId: z.string(),
  displayName: Text.optional(),
  platform: Text.optional(),
  version: Text.optional(),
  deviceFamily: Text.optional(),
  caps: Names.optional(),
  commands: Names.optional(),
  remoteIp: Text.optional(),
  tokenHash: z.string().optional(),
  token: z.string().optional(),
  createdAtMs: z.number(),
  approvedAtMs: z.number(),
});
export type PairedNodeRecord = z.infer<typeof PairedNodeRecord>;

export const PendingDevices = z.record(z.string(), PendingDevice);
export const PairedDevices = z.record(z.string(), PairedDevice);
export const PendingNodes = z.record(z.string(), PendingNode);
export const PairedNodes = z.record(z.string(), PairedNodeRecord);

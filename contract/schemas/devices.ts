// Device pairing and device tokens (reference §2.5, §5.13): devices prove an Ed25519 key in
// connect; unknown ones wait for approval; approved ones get a per-role token (stored hashed).
import { z } from 'zod';
import { EpochMs } from './common.js';

const NonEmpty = z.string().min(1).max(256);
/** hex SHA-256 of the raw public key. */
export const DeviceId = z.string().min(1).max(128);
export const DeviceRole = z.enum(['operator', 'node']);
const Scopes = z.array(z.string().min(1).max(128)).max(64);

/** A device waiting for approval (`device.pair.requested` carries the same fields). */
export const DevicePairingRequest = z.object({
  requestId: z.string(),
  deviceId: z.string(),
  publicKey: z.string(),
  displayName: z.string().optional(),
  platform: z.string().optional(),
  deviceFamily: z.string().optional(),
  clientId: z.string().optional(),
  clientMode: z.string().optional(),
  role: z.string().optional(),
  roles: z.array(z.string()).optional(),
  scopes: z.array(z.string()).optional(),
  remoteIp: z.string().optional(),
  silent: z.boolean().optional(),
  isRepair: z.boolean().optional(),
  /** Node role: what the node declared (its commands need the approval too). */
  caps: z.array(z.string()).optional(),
  commands: z.array(z.string()).optional(),
  ts: EpochMs,
});
export type DevicePairingRequest = z.infer<typeof DevicePairingRequest>;

/** A device token as listed: never the token itself. */
export const DeviceTokenSummary = z.object({
  role: z.string(),
  scopes: z.array(z.string()),
  createdAtMs: EpochMs,
  rotatedAtMs: EpochMs.optional(),
  revokedAtMs: EpochMs.optional(),
  lastUsedAtMs: EpochMs.optional(),
});

export const PairedDeviceView = z.object({
  deviceId: z.string(),
  publicKey: z.string(),
  displayName: z.string().optional(),
  platform: z.string().optional(),
  deviceFamily: z.string().optional(),
  clientId: z.string().optional(),
  clientMode: z.string().optional(),
  role: z.string().optional(),
  roles: z.array(z.string()).optional(),
  scopes: z.array(z.string()).optional(),
  remoteIp: z.string().optional(),
  createdAtMs: EpochMs,
  approvedAtMs: EpochMs,
  tokens: z.array(DeviceTokenSummary).optional(),
  /** Whether a connection of this device is open now. */
  connected: z.boolean().optional(),
});

export const DevicePairListParams = z.strictObject({});
export const DevicePairListResult = z.object({ pending: z.array(DevicePairingRequest), paired: z.array(PairedDeviceView) });

export const DevicePairApproveParams = z.strictObject({ requestId: NonEmpty, displayName: NonEmpty.optional() });
export const DevicePairApproveResult = z.object({ requestId: z.string(), device: PairedDeviceView });

export const DevicePairRejectParams = z.strictObject({ requestId: NonEmpty });
export const DevicePairRejectResult = z.object({ requestId: z.string(), deviceId: z.string() });

export const DevicePairRemoveParams = z.strictObject({ deviceId: DeviceId });
export const DevicePairRemoveResult = z.object({ deviceId: z.string() });

export const DeviceTokenRotateParams = z.strictObject({ deviceId: DeviceId, role: NonEmpty, scopes: Scopes.optional() });
export const DeviceTokenRotateResult = z.object({
  deviceId: z.string(),
  role: z.string(),
  /** The new token: shown once, here; only its hash is kept. */
  token: z.string(),
  scopes: z.array(z.string()),
  rotatedAtMs: EpochMs,
});

export const DeviceTokenRevokeParams = z.strictObject({ deviceId: DeviceId, role: NonEmpty });
export const DeviceTokenRevokeResult = z.object({ deviceId: z.string(), role: z.string(), revokedAtMs: EpochMs });

export const DevicePairRequestedEvent = DevicePairingRequest;
export const DevicePairResolvedEvent = z.object({
  requestId: z.string(),
  deviceId: z.string(),
  decision: z.enum(['approved', 'rejected', 'removed', 'expired']),
  ts: EpochMs,
});

import { z } from 'zod';
import { OPERATOR_SCOPES } from '../define.js';
import { StateVersion } from './frames.js';

const NonEmpty = z.string().min(1);

export const PROTOCOL_VERSIONS = [3, 4] as const;

export const CLIENT_IDS = [
  'webchat-ui',
  'openclaw-control-ui',
  'openclaw-tui',
  'webchat',
  'cli',
  'gateway-client',
  'openclaw-macos',
  'openclaw-ios',
  'openclaw-android',
  'node-host',
  'test',
  'fingerprint',
  'openclaw-probe',
  'openclaw-browser-copilot',
  'openclaw-linux',
  'openclaw-watchos',
  'openclaw-worker',
] as const;

export const CLIENT_MODES = ['webchat', 'cli', 'ui', 'backend', 'node', 'probe', 'test', 'worker'] as const;

export const ROLES = ['operator', 'node'] as const;
export type Role = (typeof ROLES)[number];

export const ClientInfo = z.strictObject({
  id: z.enum(CLIENT_IDS),
  displayName: NonEmpty.max(256).optional(),
  version: NonEmpty.max(128),
  platform: NonEmpty.max(128),
  deviceFamily: NonEmpty.max(128).optional(),
  modelIdentifier: NonEmpty.max(128).optional(),
  mode: z.enum(CLIENT_MODES),
  instanceId: NonEmpty.max(256).optional(),
  buildId: NonEmpty.max(128).optional(),
  timeZone: NonEmpty.max(128).optional(),
});

export const DeviceProof = z.strictObject({
  id: NonEmpty.max(256),
  publicKey: NonEmpty.max(4096),
  signature: NonEmpty.max(1024),
  signedAt: z.number().int().min(0),
  nonce: NonEmpty.max(256),
});

export const ConnectAuth = z.strictObject({
  token: z.string().max(4096).optional(),
  bootstrapToken: z.string().max(4096).optional(),
  deviceToken: z.string().max(4096).optional(),
  password: z.string().max(4096).optional(),
});

export const ConnectParams = z.strictObject({
  minProtocol: z.number().int().min(1),
  maxProtocol: z.number().int().min(1),
  client: ClientInfo,
  caps: z.array(z.string().max(128)).max(128).default([]),
  commands: z.array(z.string().max(256)).max(1024).optional(),
  permissions: z.record(z.string().max(256), z.boolean()).optional(),
  pathEnv: z.string().max(65536).optional(),
  role: z.enum(ROLES).default('operator'),
  scopes: z.array(z.string().max(128)).max(64).optional(),
  device: DeviceProof.optional(),
  auth: ConnectAuth.optional(),
  locale: z.string().max(64).optional(),
  userAgent: z.string().max(1024).optional(),
});
export type ConnectParams = z.output<typeof ConnectParams>;

export const ConnectChallenge = z.object({
  nonce: NonEmpty,
  ts: z.number().int(),
});

export const PresenceEntry = z.object({
  /** Names the entry in `presence.delta` events (this gateway's addition; upstream clients ignore it). */
  key: z.string().optional(),
  ts: z.number().int(),
  host: z.string().optional(),
  ip: z.string().optional(),
  version: z.string().optional(),
  platform: z.string().optional(),
  deviceFamily: z.string().optional(),
  modelIdentifier: z.string().optional(),
  mode: z.string().optional(),
  lastInputSeconds: z.number().optional(),
  reason: z.string().optional(),
  tags: z.array(z.string()).optional(),
  text: z.string().optional(),
  deviceId: z.string().optional(),
  roles: z.array(z.string()).optional(),
  scopes: z.array(z.string()).optional(),
  instanceId: z.string().optional(),
});
export type PresenceEntry = z.infer<typeof PresenceEntry>;

export const PresenceEvent = z.object({ presence: z.array(PresenceEntry) });

/**
 * What changed since the last presence event this connection got (or since its hello-ok snapshot):
 * entries added or changed, keys removed. `reset`: the list is `upsert` as a whole, drop the rest.
 * Sent instead of `presence` to clients whose connect `caps` include `presence-delta`.
 */
export const PresenceDeltaEvent = z.object({
  upsert: z.array(PresenceEntry),
  remove: z.array(z.string()),
  reset: z.boolean().optional(),
});

export const SessionDefaults = z.object({
  defaultAgentId: z.string(),
  mainKey: z.string(),
  mainSessionKey: z.string(),
  scope: z.enum(['per-sender', 'global']).optional(),
});

export const Snapshot = z.object({
  presence: z.array(PresenceEntry),
  health: z.unknown(),
  stateVersion: StateVersion,
  uptimeMs: z.number().int().min(0),
  configPath: z.string().optional(),
  stateDir: z.string().optional(),
  sessionDefaults: SessionDefaults,
  authMode: z.enum(['none', 'token', 'password', 'trusted-proxy']).optional(),
});

export const Policy = z.object({
  maxPayload: z.number().int().min(1),
  maxBufferedBytes: z.number().int().min(1),
  tickIntervalMs: z.number().int().min(1),
});

export const HelloOk = z.object({
  type: z.literal('hello-ok'),
  protocol: z.number().int(),
  server: z.object({ version: z.string(), connId: z.string() }),
  features: z.object({ methods: z.array(z.string()), events: z.array(z.string()) }),
  snapshot: Snapshot,
  policy: Policy,
  auth: z.object({
    role: z.enum(ROLES),
    scopes: z.array(z.enum(OPERATOR_SCOPES)),
    deviceToken: z.string().optional(),
    issuedAtMs: z.number().int().optional(),
  }),
});
export type HelloOk = z.infer<typeof HelloOk>;

// Nodes (reference §5.13, §6.2): agent daemons connected with role `node`, their pairing, and
// node.invoke — a command the gateway sends to a node (`node.invoke.request`), answered by the
// node's `node.invoke.result`.
import { z } from 'zod';
import { EpochMs, IdempotencyKey, OkTrue, TimeoutMs } from './common.js';

const NonEmpty = z.string().min(1).max(256);
const NodeIdInput = z.string().min(1).max(256);
const CommandName = z.string().min(1).max(256);
const Names = z.array(z.string().min(1).max(256)).max(1024);

/** What a node says about itself when it asks to pair, as node.list and the pending requests show it. */
const NODE_CLAIMS = {
  displayName: z.string().optional(),
  platform: z.string().optional(),
  version: z.string().optional(),
  coreVersion: z.string().optional(),
  uiVersion: z.string().optional(),
  deviceFamily: z.string().optional(),
  modelIdentifier: z.string().optional(),
  caps: z.array(z.string()).optional(),
  commands: z.array(z.string()).optional(),
  remoteIp: z.string().optional(),
};

/** A node as node.list and node.describe show it: pairing and live connection merged. */
export const NodeListNode = z.object({
  nodeId: z.string(),
  ...NODE_CLAIMS,
  clientId: z.string().optional(),
  clientMode: z.string().optional(),
  pathEnv: z.string().optional(),
  permissions: z.record(z.string(), z.boolean()).optional(),
  paired: z.boolean().optional(),
  connected: z.boolean().optional(),
  connectedAtMs: EpochMs.optional(),
  approvedAtMs: EpochMs.optional(),
  /** The pending pairing request of this node, for operator.pairing callers. */
  pendingRequestId: z.string().optional(),
});
export type NodeListNode = z.infer<typeof NodeListNode>;

export const NodePairRequestParams = z.strictObject({
  nodeId: NodeIdInput,
  displayName: NonEmpty.optional(),
  platform: NonEmpty.optional(),
  version: NonEmpty.optional(),
  coreVersion: NonEmpty.optional(),
  uiVersion: NonEmpty.optional(),
  deviceFamily: NonEmpty.optional(),
  modelIdentifier: NonEmpty.optional(),
  caps: Names.optional(),
  commands: Names.optional(),
  remoteIp: NonEmpty.optional(),
  silent: z.boolean().optional(),
});

/** A node waiting for approval. */
export const NodePairingRequest = z.object({
  requestId: z.string(),
  nodeId: z.string(),
  ...NODE_CLAIMS,
  silent: z.boolean().optional(),
  isRepair: z.boolean().optional(),
  ts: EpochMs,
});

export const PairedNode = z.object({
  nodeId: z.string(),
  displayName: z.string().optional(),
  platform: z.string().optional(),
  version: z.string().optional(),
  deviceFamily: z.string().optional(),
  caps: z.array(z.string()).optional(),
  commands: z.array(z.string()).optional(),
  remoteIp: z.string().optional(),
  createdAtMs: EpochMs,
  approvedAtMs: EpochMs,
  /** Connects with an Ed25519 device identity (else it was paired through node.pair.request). */
  deviceBacked: z.boolean(),
});

export const NodePairRequestResult = z.object({ status: z.literal('pending'), request: NodePairingRequest, created: z.boolean() });
export const NodePairListParams = z.strictObject({});
export const NodePairListResult = z.object({ pending: z.array(NodePairingRequest), paired: z.array(PairedNode) });
export const NodePairApproveParams = z.strictObject({ requestId: NonEmpty });
export const NodePairApproveResult = z.object({
  requestId: z.string(),
  node: PairedNode,
  /** For a node.pair.request pairing: its token for node.pair.verify, shown once (only a hash is kept). */
  token: z.string().optional(),
});
export const NodePairRejectParams = z.strictObject({ requestId: NonEmpty });
export const NodePairRejectResult = z.object({ requestId: z.string(), nodeId: z.string() });
export const NodePairVerifyParams = z.strictObject({ nodeId: NodeIdInput, token: z.string().min(1).max(4096) });
export const NodePairVerifyResult = z.object({ ok: z.boolean(), node: PairedNode.optional() });
export const NodePairRemoveParams = z.strictObject({ nodeId: NodeIdInput });
export const NodePairRemoveResult = z.object({ nodeId: z.string() });

export const NodeRenameParams = z.strictObject({ nodeId: NodeIdInput, displayName: NonEmpty });
export const NodeRenameResult = z.object({ nodeId: z.string(), displayName: z.string() });

export const NodeListParams = z.strictObject({});
export const NodeListResult = z.object({ ts: EpochMs, nodes: z.array(NodeListNode) });

export const NodeDescribeParams = z.strictObject({ nodeId: NodeIdInput });
export const NodeDescribeResult = NodeListNode.extend({ ts: EpochMs });

export const NodeInvokeParams = z.strictObject({
  nodeId: NodeIdInput,
  command: CommandName,
  params: z.unknown().optional(),
  /** How long the node has to answer (default 30 s); carried to the node in the request. */
  timeoutMs: TimeoutMs.optional(),
  idempotencyKey: IdempotencyKey,
});
export const NodeInvokeResult = z.object({
  ok: z.literal(true),
  nodeId: z.string(),
  command: z.string(),
  payload: z.unknown(),
  payloadJSON: z.string().nullable(),
});

export const NodeInvokeResultParams = z.strictObject({
  id: z.string().min(1).max(256),
  nodeId: NodeIdInput,
  ok: z.boolean(),
  payload: z.unknown().optional(),
  payloadJSON: z.string().max(16_000_000).nullable().optional(),
  error: z.strictObject({ code: z.string().min(1).max(128).optional(), message: z.string().min(1).max(8192).optional() }).optional(),
});
export const NodeInvokeResultAck = z.object({ ok: OkTrue, ignored: z.boolean().optional() });

export const NodeEventParams = z.strictObject({
  event: z.string().min(1).max(256),
  payload: z.unknown().optional(),
  payloadJSON: z.string().max(1_000_000).nullable().optional(),
});
export const NodeEventResult = z.object({ ok: OkTrue, event: z.string(), handled: z.boolean(), reason: z.string().optional() });

export const NodeInvokeRequestEvent = z.object({
  id: z.string(),
  nodeId: z.string(),
  command: z.string(),
  paramsJSON: z.string().optional(),
  timeoutMs: z.number().int().min(0).optional(),
  idempotencyKey: z.string().optional(),
});
export type NodeInvokeRequestEvent = z.infer<typeof NodeInvokeRequestEvent>;

export const NodePairRequestedEvent = NodePairingRequest;
export const NodePairResolvedEvent = z.object({
  requestId: z.string(),
  nodeId: z.string(),
  decision: z.enum(['approved', 'rejected', 'removed', 'expired']),
  ts: EpochMs,
});

// node.list / node.describe rows: paired nodes and connected ones merged by node id (a connected
// node shows its live surface: the approved commands it declared now), pending ones for callers
// that manage pairing.
import type { NodeListNode } from '../../contract/schemas/nodes.js';
import type { PairedDevice, PairedNodeRecord } from '../devices/device-records.js';
import { strip } from '../devices/device-pairing.js';
import type { NodePairing } from './node-pairing.js';
import type { NodeRegistry, NodeSession } from './node-registry.js';

function pairedRow(nodeId: string, p: PairedDevice | PairedNodeRecord): NodeListNode {
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const version = text(p.version);
  const clientId = text(p.clientId);
  const clientMode = text(p.clientMode);
  return strip({
    nodeId,
    displayName: p.displayName,
    platform: p.platform,
    version,
    clientId,
    clientMode,
    remoteIp: p.remoteIp,
    deviceFamily: p.deviceFamily,
    caps: p.caps,
    commands: p.commands,
    paired: true,
    connected: false,
    approvedAtMs: p.approvedAtMs,
  });
}

function liveRow(s: NodeSession, paired: PairedDevice | PairedNodeRecord | undefined): NodeListNode {
  const c = s.connection.client;
  const claims = s.connection.nodeClaims;
  return strip({
    nodeId: s.nodeId,
    displayName: paired?.displayName ?? c.displayName,
    platform: c.platform,
    version: c.version,
    clientId: c.id,
    clientMode: c.mode,
    remoteIp: s.connection.remoteAddress,
    deviceFamily: c.deviceFamily,
    modelIdentifier: c.modelIdentifier,
    pathEnv: claims?.pathEnv,
    caps: [...s.connection.caps],
    commands: [...s.commands],
    permissions: claims?.permissions ? { ...claims.permissions } : undefined,
    paired: paired !== undefined,
    connected: true,
    connectedAtMs: s.connectedAtMs,
    approvedAtMs: paired?.approvedAtMs,
  });
}

export function listNodes(registry: NodeRegistry, pairing: NodePairing, withPending: boolean): NodeListNode[] {
  const paired = pairing.pairedNodes();
  const rows = new Map<string, NodeListNode>();
  for (const [nodeId, p] of paired) rows.set(nodeId, pairedRow(nodeId, p));
  for (const s of registry.list()) rows.set(s.nodeId, liveRow(s, paired.get(s.nodeId)));
  if (withPending) {
    for (const r of pairing.list().pending) {
      const row = rows.get(r.nodeId) ?? strip({ nodeId: r.nodeId, displayName: r.displayName, platform: r.platform, remoteIp: r.remoteIp, caps: r.caps, commands: r.commands, paired: false, connected: false });
      rows.set(r.nodeId, { ...row, pendingRequestId: r.requestId });
    }
  }
  return [...rows.values()].sort((a, b) => Number(b.connected) - Number(a.connected) || (a.displayName ?? a.nodeId).localeCompare(b.displayName ?? b.nodeId));
}

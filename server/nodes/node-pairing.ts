// node.pair.*: the node side of pairing. A node with a device identity pairs through device pairing
// (role node); its request shows here with its declared commands. A node without one is paired on
// its behalf with node.pair.request and gets a token (kept as a hash) that node.pair.verify checks.
import { randomUUID } from 'node:crypto';
import type { MethodParams } from '../../generated/server/method-types.js';
import type { EventHub } from '../core/event-hub.js';
import { GatewayError } from '../core/gateway-error.js';
import type { PairedDevice, PairedNodeRecord, PendingDevice, PendingNode } from '../devices/device-records.js';
import { storeFailed, strip, type DevicePairing } from '../devices/device-pairing.js';
import { hashToken, mintToken, tokenMatches } from '../devices/device-token.js';
import { pruneExpired, type PairingStore } from '../devices/pairing-store.js';

const isNodeRole = (d: PairedDevice): boolean => (d.roles ?? [d.role]).includes('node');

const isLegacyPending = (r: PendingDevice | PendingNode): r is PendingNode => typeof (r as { deviceId?: unknown }).deviceId !== 'string';
const isLegacyPaired = (n: PairedDevice | PairedNodeRecord): n is PairedNodeRecord => typeof (n as { deviceId?: unknown }).deviceId !== 'string';

export function pendingNodeView(r: PendingDevice | PendingNode) {
  const { requestId, displayName, platform, deviceFamily, caps, commands, remoteIp, silent, isRepair, ts } = r;
  if (isLegacyPending(r)) {
    const { nodeId, version, coreVersion, uiVersion, modelIdentifier } = r;
    return strip({ requestId, nodeId, displayName, platform, deviceFamily, caps, commands, remoteIp, silent, isRepair, ts, version, coreVersion, uiVersion, modelIdentifier });
  }
  return strip({ requestId, nodeId: r.deviceId, displayName, platform, deviceFamily, caps, commands, remoteIp, silent, isRepair, ts });
}

export function pairedNodeView(n: PairedDevice | PairedNodeRecord) {
  const { displayName, platform, deviceFamily, caps, commands, remoteIp, createdAtMs, approvedAtMs } = n;
  if (isLegacyPaired(n)) {
    return strip({ nodeId: n.nodeId, displayName, platform, version: n.version, deviceFamily, caps, commands, remoteIp, createdAtMs, approvedAtMs, deviceBacked: false });
  }
  return strip({ nodeId: n.deviceId, displayName, platform, deviceFamily, caps, commands, remoteIp, createdAtMs, approvedAtMs, deviceBacked: true });
}

const notFound = (requestId: string): GatewayError =>
  new GatewayError('NOT_FOUND', `unknown requestId ${requestId} (node.pair.list shows the pending ones; requests expire after 5 minutes)`, { details: { code: 'NODE_PAIRING_NOT_FOUND' } });

export class NodePairing {
  constructor(
    private readonly devices: DevicePairing,
    private readonly store: PairingStore,
    private readonly hub: EventHub,
  ) {
    // Device-backed node requests are node pairing requests too.
    devices.onChange((change) => {
      if (change.kind === 'requested') {
        if (change.request.role === 'node') this.hub.publish('node.pair.requested', pendingNodeView(change.request));
      } else if (change.request.role === 'node' || change.request.roles?.includes('node')) {
        this.hub.publish('node.pair.resolved', { requestId: change.request.requestId, nodeId: change.request.deviceId, decision: change.decision, ts: Date.now() });
      }
    });
  }

  private get state() {
    return this.store.state;
  }

  private pendingLegacy(): PendingNode[] {
    for (const r of pruneExpired(this.state.pendingNodes, Date.now())) {
      this.hub.publish('node.pair.resolved', { requestId: r.requestId, nodeId: r.nodeId, decision: 'expired', ts: Date.now() });
    }
    return [...this.state.pendingNodes.values()];
  }

  list() {
    const pending = [...this.devices.pending().filter((r) => r.role === 'node'), ...this.pendingLegacy()].sort((a, b) => b.ts - a.ts);
    const paired = [...this.devices.paired().filter(isNodeRole), ...this.state.pairedNodes.values()].sort((a, b) => b.approvedAtMs - a.approvedAtMs);
    return { pending: pending.map(pendingNodeView), paired: paired.map(pairedNodeView) };
  }

  /** The pending request (device-backed or not) with this id. */
  pendingRequest(requestId: string): PendingDevice | PendingNode | undefined {
    const device = this.devices.pendingRequest(requestId);
    if (device?.role === 'node') return device;
    this.pendingLegacy();
    return this.state.pendingNodes.get(requestId);
  }

  pendingFor(nodeId: string): string | undefined {
    return (this.devices.pending().find((r) => r.role === 'node' && r.deviceId === nodeId) ?? this.pendingLegacy().find((r) => r.nodeId === nodeId))?.requestId;
  }

  request(params: MethodParams<'node.pair.request'>) {
    const existing = this.pendingLegacy().find((r) => r.nodeId === params.nodeId);
    const request: PendingNode = existing ?? { requestId: randomUUID(), nodeId: params.nodeId, ts: Date.now() };
    Object.assign(request, strip({ ...params, nodeId: params.nodeId }));
    request.isRepair = this.state.pairedNodes.has(params.nodeId);
    this.state.pendingNodes.set(request.requestId, request);
    try {
      this.store.save('pendingNodes');
    } catch (error) {
      throw storeFailed(error);
    }
    if (!existing) this.hub.publish('node.pair.requested', pendingNodeView(request));
    return { status: 'pending' as const, request: pendingNodeView(request), created: !existing };
  }

  approve(requestId: string): { requestId: string; node: ReturnType<typeof pairedNodeView>; token?: string } {
    const device = this.devices.pendingRequest(requestId);
    if (device?.role === 'node') {
      const approved = this.devices.approve(requestId);
      this.devices.disconnect(approved.device.deviceId, 'node', 'node pairing changed; reconnect');
      return { requestId, node: pairedNodeView(approved.device) };
    }
    this.pendingLegacy();
    const request = this.state.pendingNodes.get(requestId);
    if (!request) throw notFound(requestId);
    const token = mintToken();
    const now = Date.now();
    const { requestId: _r, ts: _t, isRepair: _i, silent: _s, ...fields } = request;
    const node: PairedNodeRecord = { ...fields, tokenHash: hashToken(token), createdAtMs: this.state.pairedNodes.get(request.nodeId)?.createdAtMs ?? now, approvedAtMs: now };
    this.state.pairedNodes.set(node.nodeId, node);
    this.state.pendingNodes.delete(requestId);
    try {
      this.store.save('pairedNodes');
      this.store.save('pendingNodes');
    } catch (error) {
      throw storeFailed(error);
    }
    this.hub.publish('node.pair.resolved', { requestId, nodeId: node.nodeId, decision: 'approved', ts: now });
    return { requestId, node: pairedNodeView(node), token };
  }

  reject(requestId: string): { requestId: string; nodeId: string } {
    const device = this.devices.pendingRequest(requestId);
    if (device?.role === 'node') return { requestId, nodeId: this.devices.reject(requestId).deviceId };
    this.pendingLegacy();
    const request = this.state.pendingNodes.get(requestId);
    if (!request) throw notFound(requestId);
    this.state.pendingNodes.delete(requestId);
    try {
      this.store.save('pendingNodes');
    } catch (error) {
      throw storeFailed(error);
    }
    this.hub.publish('node.pair.resolved', { requestId, nodeId: request.nodeId, decision: 'rejected', ts: Date.now() });
    return { requestId, nodeId: request.nodeId };
  }

  verify(nodeId: string, token: string) {
    const node = this.state.pairedNodes.get(nodeId);
    if (!node?.tokenHash || !tokenMatches(token, node.tokenHash)) return { ok: false };
    return { ok: true, node: pairedNodeView(node) };
  }

  remove(nodeId: string): { nodeId: string } {
    const device = this.devices.device(nodeId);
    if (device && isNodeRole(device)) {
      this.devices.remove(nodeId, 'node');
      return { nodeId };
    }
    if (!this.state.pairedNodes.delete(nodeId)) {
      throw new GatewayError('NOT_FOUND', `no paired node ${nodeId}; node.pair.list shows the paired ones`, { details: { code: 'NODE_NOT_FOUND' } });
    }
    try {
      this.store.save('pairedNodes');
    } catch (error) {
      throw storeFailed(error);
    }
    this.hub.publish('node.pair.resolved', { requestId: '', nodeId, decision: 'removed', ts: Date.now() });
    return { nodeId };
  }

  rename(nodeId: string, displayName: string): { nodeId: string; displayName: string } {
    const device = this.devices.device(nodeId);
    if (device && isNodeRole(device)) {
      this.devices.rename(nodeId, displayName);
      return { nodeId, displayName };
    }
    const node = this.state.pairedNodes.get(nodeId);
    if (!node) throw new GatewayError('NOT_FOUND', `no paired node ${nodeId}; node.list shows the known ones`, { details: { code: 'NODE_NOT_FOUND' } });
    node.displayName = displayName;
    try {
      this.store.save('pairedNodes');
    } catch (error) {
      throw storeFailed(error);
    }
    return { nodeId, displayName };
  }

  /** Paired nodes (device-backed and not), by id. */
  pairedNodes(): Map<string, PairedDevice | PairedNodeRecord> {
    const out = new Map<string, PairedDevice | PairedNodeRecord>();
    for (const n of this.state.pairedNodes.values()) out.set(n.nodeId, n);
    for (const d of this.devices.paired()) if (isNodeRole(d)) out.set(d.deviceId, d);
    return out;
  }
}

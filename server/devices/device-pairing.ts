// Device pairing (reference §2.5, §5.13): a device proves an Ed25519 key in connect; an unknown one
// (or one asking for a new role or more scopes) waits for an operator's approval; a paired one gets
// a token per role, shown once and stored as a hash. Operators on this machine that hold the shared
// secret are paired silently, as upstream does; nodes always wait for approval (they run commands).
import { randomUUID } from 'node:crypto';
import type { OperatorScope } from '../../contract/define.js';
import type { Role } from '../../contract/schemas/connect.js';
import type { DeviceAdmission, DeviceClaim, DeviceGate, DeviceTokenCheck } from '../core/device-gate.js';
import type { EventHub } from '../core/event-hub.js';
import { GatewayError } from '../core/gateway-error.js';
import { hasScope, normalizeScopes } from '../core/scopes.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import type { PairedDevice, PendingDevice, StoredToken } from './device-records.js';
import { hashToken, mintToken, tokenMatches } from './device-token.js';
import { pruneExpired, type PairingPart, type PairingStore } from './pairing-store.js';

export type PairingDecision = 'approved' | 'rejected' | 'removed' | 'expired';

interface ResolvedRequest {
  readonly requestId: string;
  readonly deviceId: string;
  readonly role?: string | undefined;
  readonly roles?: readonly string[] | undefined;
}

export interface DevicePairingDeps {
  readonly store: PairingStore;
  readonly hub: EventHub;
  readonly logger: GatewayLogger;
  readonly now?: () => number;
}

const rolesOf = (device: PairedDevice): string[] => [...new Set([...(device.roles ?? []), ...(device.role ? [device.role] : [])])];

/** Whether `approved` satisfies every scope in `requested` (admin satisfies all, write satisfies read). */
export function scopesCovered(approved: readonly string[], requested: readonly string[]): boolean {
  const granted = new Set(normalizeScopes(approved));
  return requested.every((s) => hasScope(granted, s as OperatorScope));
}

export const storeFailed = (error: unknown): GatewayError =>
  new GatewayError('UNAVAILABLE', `the pairing state could not be saved: ${(error as Error).message}; check the state dir's disk and permissions, then retry`, {
    details: { code: 'DEVICE_STORE_FAILED' },
  });

export class DevicePairing implements DeviceGate {
  private readonly now: () => number;
  private readonly listeners = new Set<(event: { kind: 'requested'; request: PendingDevice } | { kind: 'resolved'; request: ResolvedRequest; decision: PairingDecision }) => void>();

  constructor(private readonly deps: DevicePairingDeps) {
    this.now = deps.now ?? Date.now;
  }

  private get state() {
    return this.deps.store.state;
  }

  /** Pairing changes (node pairing mirrors them as node.pair.* events). */
  onChange(listener: DevicePairing['listeners'] extends Set<infer L> ? L : never): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private save(...parts: PairingPart[]): void {
    for (const part of parts) this.deps.store.save(part);
  }

  // ── the handshake's questions ────────────────────────────────────────────────────────

  verifyToken(deviceId: string, role: Role, token: string, requested: readonly OperatorScope[]): DeviceTokenCheck {
    const device = this.state.pairedDevices.get(deviceId);
    if (!device) return { ok: false, reason: 'device-not-paired' };
    const entry = device.tokens?.[role];
    if (!entry?.hash) return { ok: false, reason: 'token-missing' };
    if (entry.revokedAtMs !== undefined) return { ok: false, reason: 'token-revoked' };
    if (!tokenMatches(token, entry.hash)) return { ok: false, reason: 'token-mismatch' };
    entry.lastUsedAtMs = this.now();
    this.trySave('pairedDevices');
    // A token never grants more than it was issued with.
    const allowed = new Set(normalizeScopes(entry.scopes));
    return { ok: true, scopes: requested.filter((s) => hasScope(allowed, s)) };
  }

  admit(claim: DeviceClaim): DeviceAdmission {
    const device = this.state.pairedDevices.get(claim.deviceId);
    const roleApproved = device ? rolesOf(device).includes(claim.role) : false;
    let scopes: readonly OperatorScope[] = claim.scopes;
    if (claim.role === 'operator') {
      const approved = device?.scopes ?? [];
      const covered = roleApproved && scopesCovered(approved, claim.scopes);
      if (!covered) {
        if (claim.authVia === 'device-token' && roleApproved) {
          scopes = claim.scopes.filter((s) => scopesCovered(approved, [s]));
        } else if (claim.isLoopback) {
          this.pairSilently(claim);
        } else {
          return this.waitForApproval(claim, device ? (roleApproved ? 'scope-upgrade' : 'role-upgrade') : 'not-paired');
        }
      }
      return this.admitted(claim, scopes, undefined);
    }
    if (!roleApproved) return this.waitForApproval(claim, device ? 'role-upgrade' : 'not-paired');
    const approvedCommands = new Set(device!.commands ?? []);
    const declared = claim.commands ?? [];
    const live = declared.filter((c) => approvedCommands.has(c));
    // New commands need an approval of their own; the node connects meanwhile with the approved ones.
    if (declared.some((c) => !approvedCommands.has(c)) && claim.authVia !== 'device-token') this.upsertRequest(claim, true);
    return this.admitted(claim, [], live);
  }

  private admitted(claim: DeviceClaim, scopes: readonly OperatorScope[], commands: readonly string[] | undefined): DeviceAdmission {
    const base = commands === undefined ? { ok: true as const, scopes } : { ok: true as const, scopes, commands };
    if (claim.authVia === 'device-token') return base;
    const device = this.state.pairedDevices.get(claim.deviceId)!;
    try {
      const token = this.issue(device, claim.role, claim.role === 'operator' ? scopes : []);
      return { ...base, issued: { token, issuedAtMs: device.tokens![claim.role]!.rotatedAtMs ?? device.tokens![claim.role]!.createdAtMs } };
    } catch (error) {
      this.deps.logger.error('device token not issued: the pairing state could not be saved', { deviceId: claim.deviceId, error: (error as Error).message });
      return base;
    }
  }

  private pairSilently(claim: DeviceClaim): void {
    const now = this.now();
    const existing = this.state.pairedDevices.get(claim.deviceId);
    const device: PairedDevice = existing ?? { deviceId: claim.deviceId, publicKey: claim.publicKey, createdAtMs: now, approvedAtMs: now };
    device.roles = [...new Set([...rolesOf(device), claim.role])];
    device.scopes = normalizeScopes([...(device.scopes ?? []), ...claim.scopes]);
    this.describe(device, claim);
    device.approvedAtMs = now;
    this.state.pairedDevices.set(device.deviceId, device);
    this.trySave('pairedDevices');
    this.deps.logger.info('device paired silently (local operator with the gateway secret)', { deviceId: claim.deviceId, scopes: device.scopes });
  }

  private describe(target: PairedDevice | PendingDevice, claim: DeviceClaim): void {
    const c = claim.client;
    if (c.displayName) target.displayName = c.displayName;
    target.platform = c.platform;
    if (c.deviceFamily) target.deviceFamily = c.deviceFamily;
    target.clientId = c.id;
    target.clientMode = c.mode;
    target.remoteIp = claim.remoteAddress;
  }

  private waitForApproval(claim: DeviceClaim, reason: 'not-paired' | 'role-upgrade' | 'scope-upgrade'): DeviceAdmission {
    const request = this.upsertRequest(claim, reason !== 'not-paired');
    return { ok: false, requestId: request.requestId, reason };
  }

  /** One pending request per device and role: a reconnecting device refreshes it, keeping its id. */
  private upsertRequest(claim: DeviceClaim, isRepair: boolean): PendingDevice {
    this.expireOld();
    const existing = [...this.state.pendingDevices.values()].find((r) => r.deviceId === claim.deviceId && r.role === claim.role);
    const request: PendingDevice = existing ?? {
      requestId: randomUUID(),
      deviceId: claim.deviceId,
      publicKey: claim.publicKey,
      role: claim.role,
      roles: [claim.role],
      ts: this.now(),
    };
    this.describe(request, claim);
    request.scopes = [...claim.scopes];
    if (claim.role === 'node') {
      request.caps = [...claim.caps];
      request.commands = [...(claim.commands ?? [])];
    }
    request.isRepair = isRepair;
    this.state.pendingDevices.set(request.requestId, request);
    this.trySave('pendingDevices');
    if (!existing) {
      this.deps.logger.notice('device pairing requested', { requestId: request.requestId, deviceId: claim.deviceId, role: claim.role, remote: claim.remoteAddress });
      this.deps.hub.publish('device.pair.requested', this.requestView(request));
      for (const l of this.listeners) l({ kind: 'requested', request });
    }
    return request;
  }

  private trySave(part: PairingPart): void {
    try {
      this.save(part);
    } catch (error) {
      this.deps.logger.error('pairing state not saved', { part, error: (error as Error).message });
    }
  }

  private expireOld(): void {
    for (const request of pruneExpired(this.state.pendingDevices, this.now())) this.resolved(request, 'expired');
  }

  private resolved(request: ResolvedRequest, decision: PairingDecision): void {
    this.deps.hub.publish('device.pair.resolved', { requestId: request.requestId, deviceId: request.deviceId, decision, ts: this.now() });
    for (const l of this.listeners) l({ kind: 'resolved', request, decision });
  }

  /** Mints a token for `role` (replacing the old one) and returns it; only its hash is kept. */
  private issue(device: PairedDevice, role: string, scopes: readonly string[]): string {
    const token = mintToken();
    const now = this.now();
    const previous = device.tokens?.[role];
    const entry: StoredToken = { hash: hashToken(token), role, scopes: [...scopes], createdAtMs: previous?.createdAtMs ?? now };
    if (previous) entry.rotatedAtMs = now;
    if (previous?.lastUsedAtMs !== undefined) entry.lastUsedAtMs = previous.lastUsedAtMs;
    device.tokens = { ...device.tokens, [role]: entry };
    this.save('pairedDevices');
    return token;
  }

  // ── operator operations ──────────────────────────────────────────────────────────────

  pending(): PendingDevice[] {
    this.expireOld();
    return [...this.state.pendingDevices.values()].sort((a, b) => b.ts - a.ts);
  }

  paired(): PairedDevice[] {
    return [...this.state.pairedDevices.values()].sort((a, b) => b.approvedAtMs - a.approvedAtMs);
  }

  pendingRequest(requestId: string): PendingDevice | undefined {
    this.expireOld();
    return this.state.pendingDevices.get(requestId);
  }

  device(deviceId: string): PairedDevice | undefined {
    return this.state.pairedDevices.get(deviceId);
  }

  approve(requestId: string, displayName?: string): { requestId: string; device: PairedDevice } {
    const request = this.pendingRequest(requestId);
    if (!request) throw unknownRequest(requestId);
    const now = this.now();
    const existing = this.state.pairedDevices.get(request.deviceId);
    const device: PairedDevice = existing ?? { deviceId: request.deviceId, publicKey: request.publicKey, createdAtMs: now, approvedAtMs: now };
    const role = request.role ?? 'operator';
    device.publicKey = request.publicKey;
    device.roles = [...new Set([...rolesOf(device), role])];
    device.role ??= role;
    if (role === 'operator') device.scopes = normalizeScopes([...(device.scopes ?? []), ...(request.scopes ?? [])]);
    else {
      device.commands = [...new Set([...(device.commands ?? []), ...(request.commands ?? [])])];
      device.caps = [...new Set([...(device.caps ?? []), ...(request.caps ?? [])])];
    }
    for (const key of ['displayName', 'platform', 'deviceFamily', 'clientId', 'clientMode', 'remoteIp'] as const) {
      if (request[key] !== undefined) device[key] = request[key];
    }
    if (displayName) device.displayName = displayName;
    device.approvedAtMs = now;
    this.state.pairedDevices.set(device.deviceId, device);
    this.state.pendingDevices.delete(requestId);
    try {
      this.save('pairedDevices', 'pendingDevices');
    } catch (error) {
      throw storeFailed(error);
    }
    this.deps.logger.notice('device pairing approved', { requestId, deviceId: device.deviceId, role });
    this.resolved(request, 'approved');
    return { requestId, device };
  }

  reject(requestId: string): { requestId: string; deviceId: string; role?: string } {
    const request = this.pendingRequest(requestId);
    if (!request) throw unknownRequest(requestId);
    this.state.pendingDevices.delete(requestId);
    try {
      this.save('pendingDevices');
    } catch (error) {
      throw storeFailed(error);
    }
    this.resolved(request, 'rejected');
    return { requestId, deviceId: request.deviceId, ...(request.role ? { role: request.role } : {}) };
  }

  /** Forgets a device, or only one of its roles; its connections (in that role) close. */
  remove(deviceId: string, role?: string): PairedDevice {
    const device = this.state.pairedDevices.get(deviceId);
    if (!device || (role && !rolesOf(device).includes(role))) {
      throw new GatewayError('NOT_FOUND', `no paired device ${deviceId}${role ? ` with role ${role}` : ''}; device.pair.list shows the paired ones`, { details: { code: 'DEVICE_NOT_FOUND' } });
    }
    const remaining = role ? rolesOf(device).filter((r) => r !== role) : [];
    if (remaining.length === 0) this.state.pairedDevices.delete(deviceId);
    else {
      device.roles = remaining;
      device.role = remaining[0];
      const tokens = { ...device.tokens };
      delete tokens[role!];
      device.tokens = tokens;
      if (role === 'node') delete device.commands;
    }
    try {
      this.save('pairedDevices');
    } catch (error) {
      throw storeFailed(error);
    }
    this.deps.logger.notice('paired device removed', { deviceId, role: role ?? 'all' });
    this.resolved({ requestId: '', deviceId, role, roles: role ? [role] : rolesOf(device) }, 'removed');
    this.disconnect(deviceId, role, 'device removed');
    return device;
  }

  rotate(deviceId: string, role: string, scopes: readonly string[] | undefined): { token: string; entry: StoredToken } {
    const device = this.pairedInRole(deviceId, role);
    const next = scopes ?? device.tokens?.[role]?.scopes ?? device.scopes ?? [];
    let token: string;
    try {
      if (role === 'operator' && scopes) device.scopes = normalizeScopes([...(device.scopes ?? []), ...scopes]);
      token = this.issue(device, role, role === 'operator' ? normalizeScopes(next) : []);
    } catch (error) {
      throw storeFailed(error);
    }
    this.deps.logger.notice('device token rotated', { deviceId, role });
    this.disconnect(deviceId, role, 'device token rotated');
    return { token, entry: device.tokens![role]! };
  }

  revoke(deviceId: string, role: string): StoredToken {
    const device = this.pairedInRole(deviceId, role);
    const entry = device.tokens?.[role];
    if (!entry) throw new GatewayError('NOT_FOUND', `device ${deviceId} has no ${role} token`, { details: { code: 'DEVICE_ROLE_NOT_PAIRED' } });
    entry.revokedAtMs = this.now();
    try {
      this.save('pairedDevices');
    } catch (error) {
      throw storeFailed(error);
    }
    this.deps.logger.notice('device token revoked', { deviceId, role });
    this.disconnect(deviceId, role, 'device token revoked');
    return entry;
  }

  rename(deviceId: string, displayName: string): PairedDevice {
    const device = this.state.pairedDevices.get(deviceId);
    if (!device) throw new GatewayError('NOT_FOUND', `no paired device ${deviceId}`, { details: { code: 'NODE_NOT_FOUND' } });
    device.displayName = displayName;
    try {
      this.save('pairedDevices');
    } catch (error) {
      throw storeFailed(error);
    }
    return device;
  }

  private pairedInRole(deviceId: string, role: string): PairedDevice {
    const device = this.state.pairedDevices.get(deviceId);
    if (!device) throw new GatewayError('NOT_FOUND', `no paired device ${deviceId}; device.pair.list shows the paired ones`, { details: { code: 'DEVICE_NOT_FOUND' } });
    if (!rolesOf(device).includes(role)) {
      throw new GatewayError('NOT_FOUND', `device ${deviceId} is not paired for role ${role}`, { details: { code: 'DEVICE_ROLE_NOT_PAIRED' } });
    }
    return device;
  }

  /** Whether a connection of this device is open. */
  isConnected(deviceId: string): boolean {
    for (const c of this.deps.hub.all()) if (c.deviceId === deviceId) return true;
    return false;
  }

  /** Closes the device's connections (in one role, or all), after the current answer is sent. */
  disconnect(deviceId: string, role: string | undefined, reason: string): void {
    const targets = [...this.deps.hub.all()].filter((c) => c.deviceId === deviceId && (!role || c.role === role));
    if (targets.length === 0) return;
    setImmediate(() => {
      for (const c of targets) c.close?.(1008, reason);
    });
  }

  requestView(request: PendingDevice) {
    const { requestId, deviceId, publicKey, displayName, platform, deviceFamily, clientId, clientMode, role, roles, scopes, remoteIp, caps, commands, silent, isRepair, ts } = request;
    return strip({ requestId, deviceId, publicKey, displayName, platform, deviceFamily, clientId, clientMode, role, roles, scopes, remoteIp, caps, commands, silent, isRepair, ts });
  }

  /** A paired device as listed: token summaries, never a token or its hash. */
  deviceView(device: PairedDevice) {
    const tokens = Object.values(device.tokens ?? {})
      .map((t) => strip({ role: t.role, scopes: t.scopes, createdAtMs: t.createdAtMs, rotatedAtMs: t.rotatedAtMs, revokedAtMs: t.revokedAtMs, lastUsedAtMs: t.lastUsedAtMs }))
      .sort((a, b) => a.role.localeCompare(b.role));
    const { deviceId, publicKey, displayName, platform, deviceFamily, clientId, clientMode, role, remoteIp, scopes, createdAtMs, approvedAtMs } = device;
    return strip({
      deviceId, publicKey, displayName, platform, deviceFamily, clientId, clientMode, role, roles: rolesOf(device), scopes, remoteIp, createdAtMs, approvedAtMs,
      tokens: tokens.length > 0 ? tokens : undefined,
      connected: this.isConnected(deviceId),
    });
  }
}

const unknownRequest = (requestId: string): GatewayError =>
  new GatewayError('NOT_FOUND', `unknown requestId ${requestId} (it may have expired after 5 minutes; the device asks again when it reconnects)`, {
    details: { code: 'DEVICE_PAIRING_NOT_FOUND' },
  });

/** Drops undefined fields (the contract's objects have no undefined values). */
export function strip<T extends Record<string, unknown>>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]: Exclude<T[K], undefined> };
}

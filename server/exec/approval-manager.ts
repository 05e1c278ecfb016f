// Pending exec approvals: created by the exec tool (a run waits on it) or by exec.approval.request
// (a client waits on it), decided by an approver, or expired — by time, by the run being aborted,
// by the gateway stopping. Every change is written to the approval store before anyone is told,
// logged to the decision log, and announced to approvers.
import { randomUUID } from 'node:crypto';
import type { ApprovalDecision, ExecApprovalRequest } from '../../contract/schemas/exec-approvals.js';
import type { EventHub } from '../core/event-hub.js';
import { GatewayError } from '../core/gateway-error.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import type { ApprovalLog } from './approval-log.js';
import { EXPIRED_REASON_TEXT, type ApprovalOwner, type ApprovalRecord, type ExpiredReason } from './approval-record.js';
import type { ApprovalStore } from './approval-store.js';

/** Who decided, for the record and the log. */
export interface ApprovalActor {
  readonly name: string | null;
  readonly connId?: string;
  readonly deviceId?: string;
  readonly remoteAddress?: string;
}

export interface CreateApproval {
  readonly id?: string;
  readonly request: ExecApprovalRequest;
  readonly timeoutMs: number;
  readonly owner: Omit<ApprovalOwner, 'epoch'>;
  readonly rules?: ApprovalRecord['rules'];
}

const KEEP_SETTLED = 500;
const KEEP_SETTLED_MS = 7 * 86_400_000;
const MAX_PENDING = 1_000;

const notFound = (message: string, extra: Record<string, unknown> = {}): GatewayError =>
  new GatewayError('INVALID_REQUEST', message, { details: { code: 'APPROVAL_NOT_FOUND', reason: 'APPROVAL_NOT_FOUND', ...extra } });

export class ExecApprovalManager {
  /** This process; a tool-owned request from another epoch has lost its run. */
  readonly epoch = randomUUID();
  private readonly records = new Map<string, ApprovalRecord>();
  private readonly waiters = new Map<string, Set<(record: ApprovalRecord) => void>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: ApprovalStore,
    private readonly log: ApprovalLog,
    private readonly hub: EventHub,
    private readonly logger: GatewayLogger,
  ) {}

  /**
   * Loads what the last process left: tool-owned pending requests are expired (their runs are
   * gone) and returned so their sessions can be told; client-owned ones stay pending.
   */
  recover(): ApprovalRecord[] {
    const lost: ApprovalRecord[] = [];
    const now = Date.now();
    for (const record of this.store.load()) {
      this.records.set(record.id, record);
      if (record.status !== 'pending') continue;
      if (record.owner.kind === 'tool' && record.owner.epoch !== this.epoch) {
        this.settle(record, 'expired', null, null, 'gateway-restarted', false);
        lost.push(this.records.get(record.id)!);
      } else if (record.expiresAtMs <= now) this.settle(record, 'expired', null, null, 'timeout', false);
      else this.arm(record);
    }
    this.persist();
    return lost;
  }

  create(init: CreateApproval): ApprovalRecord {
    if (init.id !== undefined && this.records.get(init.id)?.status === 'pending') throw new GatewayError('INVALID_REQUEST', `approval id ${init.id} is already pending`, { details: { code: 'INVALID_PARAMS' } });
    if (this.pending().length >= MAX_PENDING) throw new GatewayError('UNAVAILABLE', `${MAX_PENDING} approvals are already pending; resolve some first`, { retryable: true, retryAfterMs: 5_000, details: { code: 'QUEUE_FULL', limit: MAX_PENDING } });
    const now = Date.now();
    const record: ApprovalRecord = {
      id: init.id ?? randomUUID(),
      request: init.request,
      createdAtMs: now,
      expiresAtMs: now + init.timeoutMs,
      status: 'pending',
      decision: null,
      resolvedAtMs: null,
      resolvedBy: null,
      expiredReason: null,
      owner: { ...init.owner, epoch: this.epoch },
      ...(init.rules ? { rules: init.rules } : {}),
    };
    this.records.set(record.id, record);
    this.persist();
    this.arm(record);
    this.log.append({ ts: now, id: record.id, event: 'requested', command: record.request.command, agentId: record.request.agentId, sessionKey: record.request.sessionKey });
    this.hub.publish('exec.approval.requested', { id: record.id, request: record.request, createdAtMs: record.createdAtMs, expiresAtMs: record.expiresAtMs });
    return record;
  }

  /** The request with this id, or the only one whose id starts with it (pending ones first). */
  lookup(idOrPrefix: string): ApprovalRecord {
    const exact = this.records.get(idOrPrefix);
    if (exact) return exact;
    const matches = [...this.records.values()].filter((r) => r.id.startsWith(idOrPrefix));
    const pending = matches.filter((r) => r.status === 'pending');
    const candidates = pending.length > 0 ? pending : matches;
    if (candidates.length === 1) return candidates[0]!;
    if (candidates.length > 1) {
      throw new GatewayError('INVALID_REQUEST', `approval id prefix ${idOrPrefix} matches ${candidates.length} requests; give more of the id`, { details: { code: 'APPROVAL_ID_AMBIGUOUS', reason: 'APPROVAL_ID_AMBIGUOUS' } });
    }
    throw notFound('unknown or expired approval id; exec.approval.list shows the pending ones');
  }

  resolve(idOrPrefix: string, decision: ApprovalDecision, actor: ApprovalActor): ApprovalRecord {
    const record = this.lookup(idOrPrefix);
    if (record.status !== 'pending') {
      const what = record.status === 'expired' ? `expired: ${EXPIRED_REASON_TEXT[(record.expiredReason ?? 'timeout') as ExpiredReason] ?? record.expiredReason}` : `was already decided (${record.decision} by ${record.resolvedBy ?? 'someone'})`;
      throw notFound(`approval ${record.id} ${what}`, { status: record.status });
    }
    if (!record.request.allowedDecisions.includes(decision)) {
      throw new GatewayError('INVALID_REQUEST', `${decision} is not available for this command; choose ${record.request.allowedDecisions.join(' or ')}`, {
        details: { code: 'APPROVAL_ALLOW_ALWAYS_UNAVAILABLE', reason: 'APPROVAL_ALLOW_ALWAYS_UNAVAILABLE', allowedDecisions: record.request.allowedDecisions },
      });
    }
    const settled = this.settle(record, decision === 'deny' ? 'denied' : 'allowed', decision, actor, null, true);
    this.hub.publish('exec.approval.resolved', { id: settled.id, decision, resolvedBy: actor.name, ts: settled.resolvedAtMs!, request: settled.request });
    return settled;
  }

  /** Ends a pending request without a decision; no-op when it is settled already. */
  expire(id: string, reason: ExpiredReason): void {
    const record = this.records.get(id);
    if (record?.status === 'pending') this.settle(record, 'expired', null, null, reason, true);
  }

  /** Resolves with the settled record: at once when it is settled, else when decided or expired. */
  wait(id: string, signal?: AbortSignal): Promise<ApprovalRecord> {
    const record = this.records.get(id);
    if (!record) return Promise.reject(notFound(`unknown approval id ${id}`));
    if (record.status !== 'pending') return Promise.resolve(record);
    return new Promise<ApprovalRecord>((resolve, reject) => {
      const set = this.waiters.get(id) ?? new Set();
      this.waiters.set(id, set);
      const onAbort = (): void => {
        set.delete(done);
        reject(signal!.reason ?? new Error('aborted'));
      };
      const done = (settled: ApprovalRecord): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(settled);
      };
      set.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) onAbort();
    });
  }

  pending(): ApprovalRecord[] {
    return [...this.records.values()].filter((r) => r.status === 'pending').sort((a, b) => a.createdAtMs - b.createdAtMs);
  }

  /** The gateway is stopping: runs cannot wait across it, so their requests expire and they are told. */
  expireToolRequests(): void {
    for (const record of this.pending()) if (record.owner.kind === 'tool') this.settle(record, 'expired', null, null, 'gateway-stopping', false);
    this.persist();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Records a decision the policy made without asking (ask fallback). */
  logFallback(command: string, agentId: string, sessionKey: string | undefined, decision: 'allow' | 'deny', reason: string): void {
    this.log.append({ ts: Date.now(), id: null, event: 'fallback', decision, command, agentId, sessionKey: sessionKey ?? null, by: 'policy', reason });
  }

  private arm(record: ApprovalRecord): void {
    const delay = Math.max(0, record.expiresAtMs - Date.now());
    // setTimeout takes at most 2^31-1 ms; longer waits re-arm.
    const timer = setTimeout(() => {
      this.timers.delete(record.id);
      const current = this.records.get(record.id);
      if (current?.status !== 'pending') return;
      if (Date.now() >= current.expiresAtMs) this.settle(current, 'expired', null, null, 'timeout', true);
      else this.arm(current);
    }, Math.min(delay, 2_147_483_647));
    timer.unref?.();
    this.timers.set(record.id, timer);
  }

  private settle(
    record: ApprovalRecord,
    status: ApprovalRecord['status'],
    decision: ApprovalDecision | null,
    actor: ApprovalActor | null,
    expiredReason: ExpiredReason | null,
    persist: boolean,
  ): ApprovalRecord {
    const now = Date.now();
    const settled: ApprovalRecord = { ...record, status, decision, resolvedAtMs: now, resolvedBy: actor?.name ?? null, expiredReason };
    this.records.set(record.id, settled);
    clearTimeout(this.timers.get(record.id));
    this.timers.delete(record.id);
    if (persist) this.persist();
    const entry = {
      ts: now,
      id: record.id,
      event: status === 'pending' ? 'requested' : status,
      decision,
      command: record.request.command,
      agentId: record.request.agentId,
      sessionKey: record.request.sessionKey,
      by: actor ? actor.name : 'gateway',
      ...(actor?.connId ? { connId: actor.connId } : {}),
      ...(actor?.deviceId ? { deviceId: actor.deviceId } : {}),
      ...(actor?.remoteAddress ? { remoteAddress: actor.remoteAddress } : {}),
      ...(expiredReason ? { reason: expiredReason } : {}),
    } as const;
    this.log.append(entry);
    const waiters = this.waiters.get(record.id);
    this.waiters.delete(record.id);
    for (const waiter of waiters ?? []) waiter(settled);
    return settled;
  }

  private persist(): void {
    const now = Date.now();
    const settled = [...this.records.values()]
      .filter((r) => r.status !== 'pending' && (r.resolvedAtMs ?? r.createdAtMs) > now - KEEP_SETTLED_MS)
      .sort((a, b) => (b.resolvedAtMs ?? 0) - (a.resolvedAtMs ?? 0))
      .slice(0, KEEP_SETTLED);
    const keep = new Set([...this.pending(), ...settled].map((r) => r.id));
    for (const id of [...this.records.keys()]) if (!keep.has(id)) this.records.delete(id);
    try {
      this.store.save([...this.records.values()]);
    } catch (error) {
      this.logger.error('exec approvals could not be saved', { location: this.store.location, error: (error as Error).message });
      throw new GatewayError('UNAVAILABLE', `exec approvals could not be saved (${(error as Error).message})`, { retryable: true, retryAfterMs: 1_000, details: { code: 'APPROVAL_STORE_FAILED' } });
    }
  }
}

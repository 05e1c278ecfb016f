// exec.approvals.list / resolve (upstream exec.approval.list / resolve) and upstream's per-command
// exec.approval.request / get / waitDecision.
import type { ExecApprovalRequest } from '../../contract/schemas/exec-approvals.js';
import type { MethodParams } from '../../generated/server/method-types.js';
import type { ExecHandlers } from '../../generated/server/handlers.js';
import { GatewayError, invalidParams } from '../core/gateway-error.js';
import type { MethodContext } from '../core/method-context.js';
import type { ApprovalActor, ExecApprovalManager } from './approval-manager.js';
import type { ApprovalRecord } from './approval-record.js';
import { hasApprover } from './approver-presence.js';
import type { EventHub } from '../core/event-hub.js';

type ApprovalHandlers = Pick<ExecHandlers, 'exec.approvals.list' | 'exec.approvals.resolve' | 'exec.approval.request' | 'exec.approval.get' | 'exec.approval.waitDecision'>;

const EXPLICIT_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const DEFAULT_TIMEOUT_MS = 1_800_000;

export function actorOf(ctx: MethodContext): ApprovalActor {
  const client = ctx.connection.client;
  const actor: { name: string | null; connId: string; deviceId?: string; remoteAddress?: string } = { name: client.displayName ?? client.id ?? null, connId: ctx.connection.connId };
  if (ctx.connection.deviceId) actor.deviceId = ctx.connection.deviceId;
  if (ctx.connection.remoteAddress) actor.remoteAddress = ctx.connection.remoteAddress;
  return actor;
}

const decisionOf = (r: ApprovalRecord) => ({ id: r.id, decision: r.status === 'expired' ? null : r.decision, createdAtMs: r.createdAtMs, expiresAtMs: r.expiresAtMs });

const cancelled = (): GatewayError => new GatewayError('CANCELLED', 'the wait was cancelled', { details: { code: 'REQUEST_CANCELLED' } });

function requestFrom(params: MethodParams<'exec.approval.request'>): ExecApprovalRequest {
  const plan = params.systemRunPlan;
  const command = params.command ?? plan?.commandText ?? params.commandArgv?.join(' ') ?? '';
  const nullable = (v: string | undefined): string | null => v ?? null;
  const security = params.security === 'deny' || params.security === 'allowlist' || params.security === 'full' ? params.security : null;
  const ask = params.ask === 'off' || params.ask === 'on-miss' || params.ask === 'always' ? params.ask : null;
  return {
    command,
    ...(plan?.commandPreview ? { commandPreview: plan.commandPreview } : {}),
    ...(params.commandArgv ? { commandArgv: params.commandArgv } : plan ? { commandArgv: plan.argv } : {}),
    ...(params.env ? { envKeys: Object.keys(params.env).sort() } : {}),
    systemRunBinding: null,
    systemRunPlan: plan ?? null,
    cwd: nullable(params.cwd ?? plan?.cwd ?? undefined),
    nodeId: params.host === 'node' ? nullable(params.nodeId) : null,
    host: nullable(params.host),
    security,
    ask,
    allowedDecisions: ask === 'always' ? ['allow-once', 'deny'] : ['allow-once', 'allow-always', 'deny'],
    agentId: nullable(params.agentId ?? plan?.agentId ?? undefined),
    resolvedPath: nullable(params.resolvedPath),
    sessionKey: nullable(params.sessionKey ?? plan?.sessionKey ?? undefined),
    turnSourceChannel: nullable(params.turnSourceChannel),
    turnSourceTo: nullable(params.turnSourceTo),
    turnSourceAccountId: nullable(params.turnSourceAccountId),
    turnSourceThreadId: params.turnSourceThreadId === undefined ? null : String(params.turnSourceThreadId),
  };
}

export function createExecApprovalHandlers(approvals: ExecApprovalManager, hub: EventHub): ApprovalHandlers {
  return {
    'exec.approvals.list': () => approvals.pending().map((r) => ({ id: r.id, request: r.request, createdAtMs: r.createdAtMs, expiresAtMs: r.expiresAtMs })),

    'exec.approvals.resolve': (params, ctx) => {
      approvals.resolve(params.id, params.decision, actorOf(ctx));
      return { ok: true as const };
    },

    'exec.approval.get': (params) => {
      const r = approvals.lookup(params.id);
      return {
        id: r.id,
        commandText: r.request.command,
        commandPreview: r.request.commandPreview ?? null,
        allowedDecisions: r.request.allowedDecisions,
        host: r.request.host,
        nodeId: r.request.nodeId,
        agentId: r.request.agentId,
        expiresAtMs: r.expiresAtMs,
        status: r.status,
        decision: r.decision,
        resolvedBy: r.resolvedBy,
        resolvedAtMs: r.resolvedAtMs,
        expiredReason: r.expiredReason,
      };
    },

    'exec.approval.waitDecision': async (params, ctx) => {
      const record = approvals.lookup(params.id);
      try {
        return decisionOf(await approvals.wait(record.id, ctx.signal));
      } catch (error) {
        if (ctx.signal.aborted) throw cancelled();
        throw error;
      }
    },

    'exec.approval.request': async (params, ctx) => {
      if (params.id !== undefined && (!EXPLICIT_ID.test(params.id) || params.id === '.' || params.id === '..')) {
        throw invalidParams("approval id must be 1-128 characters of letters, digits, '.', '_', ':' or '-'");
      }
      if (params.id?.startsWith('plugin:')) throw invalidParams('approval ids starting with plugin: are reserved');
      if (params.host === 'node' && !params.nodeId) throw invalidParams('nodeId is required for host=node');
      if (params.host === 'node' && !params.systemRunPlan) throw invalidParams('systemRunPlan is required for host=node');
      const request = requestFrom(params);
      if (!request.command.trim()) throw invalidParams('command is required');
      const record = approvals.create({
        ...(params.id !== undefined ? { id: params.id } : {}),
        request,
        timeoutMs: params.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        owner: { kind: 'client', connId: ctx.connection.connId, ...(request.agentId ? { agentId: request.agentId } : {}), ...(request.sessionKey ? { sessionKey: request.sessionKey } : {}) },
      });
      // Nobody but the requester could answer: say so at once instead of waiting out the timeout.
      if (!hasApprover(hub, ctx.connection.connId)) {
        approvals.expire(record.id, 'no-approver');
        return decisionOf(approvals.lookup(record.id));
      }
      if (params.twoPhase === true) ctx.sendInterim({ status: 'accepted', id: record.id, createdAtMs: record.createdAtMs, expiresAtMs: record.expiresAtMs });
      try {
        return decisionOf(await approvals.wait(record.id, ctx.signal));
      } catch (error) {
        // The requester left; the request stays pending for a later waitDecision.
        if (ctx.signal.aborted) throw cancelled();
        throw error;
      }
    },
  };
}

// node.invoke: checks the command policy, sends `node.invoke.request` to the node (one timeout,
// carried in the request; the call fails at once if the node disconnects), and answers with what
// the node's `node.invoke.result` said. A retry with the same idempotency key joins the call in
// flight or gets its answer again. system.run that the node says needs approval is asked of the
// approvers (node-run-approval.ts), then sent again with the decision.
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { MethodParams, MethodResult } from '../../generated/server/method-types.js';
import { GatewayError } from '../core/gateway-error.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { checkNodeCommand } from './node-command-policy.js';
import type { NodePairing } from './node-pairing.js';
import type { NodeSession, NodeRegistry } from './node-registry.js';
import { approvalRequiredPlan, type NodeRunApprovals } from './node-run-approval.js';

export const DEFAULT_INVOKE_TIMEOUT_MS = 30_000;
/** Fields of system.run only the gateway may set (after a real approval). */
const APPROVAL_FIELDS = ['approved', 'approvalDecision'] as const;

type InvokeResult = MethodResult<'node.invoke'>;

/** What a node's node.invoke.result carried, as the pending call resolves with it. */
export interface NodeAnswer {
  readonly payload: unknown;
  readonly payloadJSON: string | null;
}

export class NodeInvoker {
  private readonly inflight = new Map<string, Promise<InvokeResult>>();
  private readonly answered = new LRUCache<string, InvokeResult>({ max: 1000, ttl: 5 * 60_000 });

  constructor(
    private readonly rt: GatewayRuntime,
    private readonly registry: NodeRegistry,
    private readonly pairing: NodePairing,
    private readonly approvals: NodeRunApprovals,
  ) {}

  invoke(params: MethodParams<'node.invoke'>, signal: AbortSignal): Promise<InvokeResult> {
    const key = `${params.nodeId}\u0000${params.idempotencyKey}`;
    const done = this.answered.get(key);
    if (done) return Promise.resolve(done);
    let running = this.inflight.get(key);
    if (!running) {
      running = this.run(params, signal);
      this.inflight.set(key, running);
      running.then(
        (result) => {
          this.inflight.delete(key);
          this.answered.set(key, result);
        },
        () => this.inflight.delete(key),
      );
    }
    return running;
  }

  private session(nodeId: string): NodeSession {
    const session = this.registry.get(nodeId);
    if (session) return session;
    if (this.pairing.pairedNodes().has(nodeId)) {
      throw new GatewayError('UNAVAILABLE', `node ${nodeId} is not connected; start its node host (openclaw node run) and retry`, { details: { code: 'NOT_CONNECTED' } });
    }
    throw new GatewayError('NOT_FOUND', `unknown node ${nodeId}; node.list shows the known nodes`, { details: { code: 'NODE_NOT_FOUND' } });
  }

  private async run(params: MethodParams<'node.invoke'>, signal: AbortSignal): Promise<InvokeResult> {
    const session = this.session(params.nodeId);
    if (!session.deviceBacked) {
      throw new GatewayError('NOT_PAIRED', `node ${params.nodeId} connected without a device identity and cannot be invoked; run it with a device identity and approve it (node.pair.approve)`, {
        details: { code: 'NODE_NOT_PAIRED' },
      });
    }
    const client = session.connection.client;
    const verdict = checkNodeCommand(params.command, { platform: client.platform, deviceFamily: client.deviceFamily, declared: session.declaredCommands, approved: session.commands }, this.rt.config.config.gateway?.nodes);
    if (!verdict.ok) {
      throw new GatewayError('INVALID_REQUEST', verdict.message, { details: { code: 'NODE_COMMAND_NOT_ALLOWED', reason: verdict.reason, command: params.command } });
    }
    const timeoutMs = params.timeoutMs ?? this.rt.config.config.gateway?.nodes?.invokeTimeoutMs ?? DEFAULT_INVOKE_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    let forwarded = params.command === 'system.run' ? withoutApproval(params.params) : params.params;
    for (let attempt = 0; ; attempt++) {
      try {
        const answer = await this.send(session, params.command, forwarded, Math.max(1, deadline - Date.now()), params.idempotencyKey, signal);
        return { ok: true, nodeId: params.nodeId, command: params.command, payload: answer.payload, payloadJSON: answer.payloadJSON };
      } catch (error) {
        const plan = params.command === 'system.run' && attempt === 0 ? approvalRequiredPlan(error) : undefined;
        if (!plan) throw error;
        const decision = await this.approvals.ask(params.nodeId, plan, Math.max(1, deadline - Date.now()), signal);
        forwarded = { ...(forwarded as Record<string, unknown>), approved: true, approvalDecision: decision.decision, runId: decision.id };
      }
    }
  }

  /** One gateway → node call. */
  send(session: NodeSession, command: string, params: unknown, timeoutMs: number, idempotencyKey: string | undefined, signal?: AbortSignal): Promise<NodeAnswer> {
    let paramsJSON: string | undefined;
    try {
      paramsJSON = params === undefined ? undefined : JSON.stringify(params);
    } catch {
      return Promise.reject(new GatewayError('INVALID_REQUEST', 'params must be JSON', { details: { code: 'INVALID_PARAMS' } }));
    }
    const options = signal ? { timeoutMs, signal, id: randomUUID() } : { timeoutMs, id: randomUUID() };
    return this.rt.clientCalls.call(
      session.connection,
      'node.invoke.request',
      (id) => {
        const request: { id: string; nodeId: string; command: string; paramsJSON?: string; timeoutMs: number; idempotencyKey?: string } = { id, nodeId: session.nodeId, command, timeoutMs };
        if (paramsJSON !== undefined) request.paramsJSON = paramsJSON;
        if (idempotencyKey !== undefined) request.idempotencyKey = idempotencyKey;
        return request;
      },
      options,
    ) as Promise<NodeAnswer>;
  }
}

function withoutApproval(params: unknown): unknown {
  if (!params || typeof params !== 'object' || Array.isArray(params)) return params;
  const copy: Record<string, unknown> = { ...(params as Record<string, unknown>) };
  for (const field of APPROVAL_FIELDS) delete copy[field];
  return copy;
}

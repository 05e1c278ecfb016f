// node.* methods: pairing (operator.pairing), listing (operator.read), node.invoke
// (operator.write), and the node-only node.invoke.result and node.event.
import type { NodeHandlers } from '../../generated/server/handlers.js';
import { GatewayError } from '../core/gateway-error.js';
import { hasScope } from '../core/scopes.js';
import { requireScope } from '../devices/devices-handlers.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { listNodes } from './node-catalog.js';
import type { NodeInvoker } from './node-invoke.js';
import type { NodePairing } from './node-pairing.js';
import { nodeIdOf, type NodeRegistry } from './node-registry.js';

/** Commands whose approval needs operator.admin (upstream: they run programs on the node). */
const ADMIN_APPROVED_COMMANDS = new Set(['system.run', 'system.run.prepare', 'system.which']);
/** Node events this gateway understands (exec lifecycle of system.run). */
const KNOWN_NODE_EVENTS = new Set(['exec.started', 'exec.finished', 'exec.denied', 'node.heartbeat']);

function parsePayload(payloadJSON: string | null | undefined, payload: unknown): unknown {
  if (typeof payloadJSON !== 'string') return payload ?? null;
  try {
    return JSON.parse(payloadJSON) as unknown;
  } catch {
    return null;
  }
}

export function createNodesHandlers(rt: GatewayRuntime, registry: NodeRegistry, pairing: NodePairing, invoker: NodeInvoker): NodeHandlers {
  return {
    'node.pair.request': (params) => pairing.request(params),
    'node.pair.list': () => pairing.list(),
    'node.pair.approve': (params, ctx) => {
      const request = pairing.pendingRequest(params.requestId);
      if (request?.commands?.some((c) => ADMIN_APPROVED_COMMANDS.has(c))) requireScope(ctx, 'operator.admin', 'the node declares system.run or system.which');
      else requireScope(ctx, 'operator.write', 'approving a node');
      return pairing.approve(params.requestId);
    },
    'node.pair.reject': (params) => pairing.reject(params.requestId),
    'node.pair.verify': (params) => pairing.verify(params.nodeId, params.token),
    'node.pair.remove': (params) => pairing.remove(params.nodeId),
    'node.rename': (params) => pairing.rename(params.nodeId, params.displayName),

    'node.list': (_params, ctx) => ({ ts: Date.now(), nodes: listNodes(registry, pairing, hasScope(ctx.scopes, 'operator.pairing')) }),
    'node.describe': (params, ctx) => {
      const node = listNodes(registry, pairing, hasScope(ctx.scopes, 'operator.pairing')).find((n) => n.nodeId === params.nodeId);
      if (!node) throw new GatewayError('NOT_FOUND', `unknown node ${params.nodeId}; node.list shows the known nodes`, { details: { code: 'NODE_NOT_FOUND' } });
      return { ts: Date.now(), ...node };
    },

    'node.invoke': (params, ctx) => invoker.invoke(params, ctx.signal),

    'node.invoke.result': (params, ctx) => {
      if (params.nodeId !== nodeIdOf(ctx.connection)) {
        throw new GatewayError('INVALID_REQUEST', `nodeId ${params.nodeId} is not this connection's node id`, { details: { code: 'NODE_INVOKE_MISMATCH' } });
      }
      if (!rt.clientCalls.isPending(ctx.connection, params.id)) return { ok: true as const, ignored: true };
      const payload = parsePayload(params.payloadJSON, params.payload);
      if (params.ok) {
        const payloadJSON = typeof params.payloadJSON === 'string' ? params.payloadJSON : payload === null ? null : JSON.stringify(payload);
        rt.clientCalls.answer(ctx.connection, params.id, { ok: true, payload: { payload, payloadJSON } });
      } else {
        const nodeError = { code: params.error?.code ?? 'UNAVAILABLE', message: params.error?.message ?? 'the node could not run the command' };
        const details: Record<string, unknown> = { code: 'NODE_INVOKE_FAILED', nodeError };
        if (payload !== null && payload !== undefined) details.nodePayload = payload;
        const denied = nodeError.code === 'SYSTEM_RUN_DENIED';
        if (denied) details.code = 'SYSTEM_RUN_DENIED';
        rt.clientCalls.answer(ctx.connection, params.id, {
          ok: false,
          error: new GatewayError(denied ? 'FORBIDDEN' : 'UNAVAILABLE', `node ${params.nodeId}: ${nodeError.message}`, { details: details as { code: 'NODE_INVOKE_FAILED' } }),
        });
      }
      return { ok: true as const };
    },

    'node.event': (params, ctx) => {
      const handled = KNOWN_NODE_EVENTS.has(params.event);
      // The payload (command output) stays out of the log.
      rt.logger.info('node event', { nodeId: nodeIdOf(ctx.connection), event: params.event.slice(0, 128), handled });
      return handled ? { ok: true as const, event: params.event, handled } : { ok: true as const, event: params.event, handled, reason: 'unknown event' };
    },
  };
}

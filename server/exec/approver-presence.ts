// Is anyone there to approve? A ready operator connection that receives exec.approval.requested
// (operator.approvals, or admin) and is an interactive client: probes, node hosts, workers and
// backend callers (the gateway's own in-process callers) never answer approvals.
import type { ConnectionHandle } from '../core/connection-handle.js';
import type { EventHub } from '../core/event-hub.js';
import { canReceiveEvent } from '../core/scopes.js';

const NOT_APPROVERS = new Set(['probe', 'node', 'worker', 'backend']);

export function isApprover(connection: ConnectionHandle): boolean {
  return connection.isReady() && !NOT_APPROVERS.has(connection.client.mode) && canReceiveEvent(connection.role, connection.scopes, 'operator.approvals');
}

export function hasApprover(hub: EventHub, excludeConnId?: string): boolean {
  for (const connection of hub.all()) if (connection.connId !== excludeConnId && isApprover(connection)) return true;
  return false;
}

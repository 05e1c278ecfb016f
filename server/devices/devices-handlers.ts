// device.pair.* and device.token.* (scope operator.pairing). Managing a node-role device, or
// minting a token with scopes the caller does not hold, needs more: operator.admin, as upstream.
import type { OperatorScope } from '../../contract/define.js';
import type { MethodParams } from '../../generated/server/method-types.js';
import type { DeviceHandlers } from '../../generated/server/handlers.js';
import { GatewayError } from '../core/gateway-error.js';
import type { MethodContext } from '../core/method-context.js';
import { hasScope, normalizeScopes, satisfyingScopes } from '../core/scopes.js';
import type { DevicePairing } from './device-pairing.js';

/** The dispatcher's own missing-scope answer, for checks that depend on the params. */
export function requireScope(ctx: MethodContext, scope: OperatorScope, why: string): void {
  if (hasScope(ctx.scopes, scope)) return;
  throw new GatewayError('FORBIDDEN', `missing scope: ${scope} (${why})`, {
    details: { code: 'MISSING_SCOPE', missingScope: scope, requiredScopes: satisfyingScopes(scope) },
  });
}

export function createDevicesHandlers(devices: DevicePairing): DeviceHandlers {
  return {
    'device.pair.list': () => ({
      pending: devices.pending().map((r) => devices.requestView(r)),
      paired: devices.paired().map((d) => devices.deviceView(d)),
    }),

    'device.pair.approve': (params, ctx) => {
      const request = devices.pendingRequest(params.requestId);
      if (request && request.role !== 'operator') requireScope(ctx, 'operator.admin', `approving a ${request.role ?? 'node'}-role device`);
      if (request?.role === 'operator' && !request.scopes?.every((s) => hasScope(ctx.scopes, s as OperatorScope))) {
        const missing = request.scopes!.find((s) => !hasScope(ctx.scopes, s as OperatorScope)) as OperatorScope;
        requireScope(ctx, missing, 'the device asks for a scope the approver does not hold');
      }
      const approved = devices.approve(params.requestId, params.displayName);
      if (request?.role === 'node') devices.disconnect(approved.device.deviceId, 'node', 'node pairing changed; reconnect');
      return { requestId: approved.requestId, device: devices.deviceView(approved.device) };
    },

    'device.pair.reject': (params) => {
      const { requestId, deviceId } = devices.reject(params.requestId);
      return { requestId, deviceId };
    },

    'device.pair.remove': (params, ctx) => {
      const device = devices.device(params.deviceId);
      if (device && (device.roles ?? [device.role]).some((r) => r !== 'operator')) requireScope(ctx, 'operator.admin', 'removing a node-role device');
      devices.remove(params.deviceId);
      return { deviceId: params.deviceId };
    },

    'device.token.rotate': (params: MethodParams<'device.token.rotate'>, ctx) => {
      if (params.role !== 'operator') requireScope(ctx, 'operator.admin', `rotating a ${params.role} token`);
      const scopes = params.scopes === undefined ? undefined : normalizeScopes(params.scopes);
      for (const s of scopes ?? []) requireScope(ctx, s, 'a rotated token holds at most the caller\'s scopes');
      const { token, entry } = devices.rotate(params.deviceId, params.role, scopes);
      return { deviceId: params.deviceId, role: entry.role, token, scopes: entry.scopes, rotatedAtMs: entry.rotatedAtMs ?? entry.createdAtMs };
    },

    'device.token.revoke': (params, ctx) => {
      if (params.role !== 'operator') requireScope(ctx, 'operator.admin', `revoking a ${params.role} token`);
      const entry = devices.revoke(params.deviceId, params.role);
      return { deviceId: params.deviceId, role: entry.role, revokedAtMs: entry.revokedAtMs! };
    },
  };
}

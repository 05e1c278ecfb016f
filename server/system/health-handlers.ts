import type { SystemHandlers } from '../../generated/server/handlers.js';
import type { GatewayRuntime } from '../gateway-runtime.js';

export function createHealthHandlers(rt: GatewayRuntime): Pick<SystemHandlers, 'health'> {
  return {
    health: (params) => (params.probe ? rt.health.refresh() : rt.health.snapshot()),
  };
}

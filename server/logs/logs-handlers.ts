import type { LogsHandlers } from '../../generated/server/handlers.js';
import { GatewayError } from '../core/gateway-error.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { tailLog } from './log-tail.js';

export function createLogsHandlers(rt: GatewayRuntime): LogsHandlers {
  return {
    'logs.tail': async (params) => {
      await rt.logger.flush();
      try {
        return tailLog(rt.logger.file, params);
      } catch (error) {
        throw new GatewayError('UNAVAILABLE', `cannot read the gateway log: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, {
          details: { code: 'LOG_UNAVAILABLE' },
          retryable: true,
          retryAfterMs: 1000,
        });
      }
    },
  };
}

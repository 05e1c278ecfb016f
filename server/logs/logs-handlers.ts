import type { LogsHandlers } from '../../generated/server/handlers.js';
import { errorsFor } from '../../generated/server/method-errors.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { tailLog } from './log-tail.js';

const tailErrors = errorsFor('logs.tail');

export function createLogsHandlers(rt: GatewayRuntime): LogsHandlers {
  return {
    'logs.tail': async (params) => {
      await rt.logger.flush();
      try {
        return tailLog(rt.logger.file, params);
      } catch (error) {
        throw tailErrors.LOG_UNAVAILABLE({}, { message: `cannot read the gateway log: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, retryAfterMs: 1000 });
      }
    },
  };
}

// The cron.* methods (reference §5.9), bound to the gateway's one CronService.
import type { CronHandlers } from '../../generated/server/handlers.js';
import type { MethodContext } from '../core/method-context.js';
import { jobForReader } from './cron-redaction.js';
import type { CronService } from './cron-service.js';

const jobIdOf = (params: { id: string } | { jobId: string }): string => ('id' in params ? params.id : params.jobId);

export function createCronHandlers(cron: CronService): CronHandlers {
  return {
    'cron.list': (params, ctx: MethodContext) => {
      const result = cron.list(params);
      return ctx.scopes.has('operator.admin') ? result : { ...result, jobs: result.jobs.map(jobForReader) };
    },
    'cron.status': () => cron.status(),
    'cron.runs': (params) => cron.runs(params),
    'cron.add': (params) => cron.add(params),
    'cron.update': (params) => cron.update(params),
    'cron.remove': (params) => cron.remove(jobIdOf(params)),
    'cron.run': (params) => cron.run(jobIdOf(params), params.mode),
  };
}

// The gateway's job runner: every run is an in-process caller named `cron:<jobId>`, so it goes
// through the same dispatcher as a client — scope checks, params validation, typed errors, the run
// manager's queue per session — and shows in the session transcript like any other turn.
import type { CallerPrincipal, InProcessCaller } from '../core/in-process-caller.js';
import { deliverAlert, deliverRun, scopesFor, type DeliveryContext } from './cron-delivery.js';
import type { CronAlertSender, CronJobRunner, CronRunOutcome } from './cron-run-types.js';
import type { CronSettings } from './cron-settings.js';
import { runTurn, sessionKeyFor } from './cron-turn.js';

export interface CallerRunnerDeps {
  createCaller(principal: CallerPrincipal): InProcessCaller;
  zone(): string;
  settings(): CronSettings;
  /** `cron.webhookToken`, resolved. */
  webhookToken(): string | undefined;
  /** Aborted when the gateway stops (ends webhook retries early). */
  readonly signal: AbortSignal;
}

export function createCallerRunner(deps: CallerRunnerDeps): CronJobRunner & CronAlertSender {
  const deliveryContext = async (caller: InProcessCaller): Promise<DeliveryContext> => {
    const agents = await caller.call('agents.list', {});
    const webhook = deps.settings().webhook;
    const token = deps.webhookToken();
    return { defaultAgentId: agents.defaultId, mainKey: agents.mainKey, webhook: { ...webhook, signal: deps.signal, ...(token ? { token } : {}) } };
  };

  return {
    async run(request): Promise<CronRunOutcome> {
      const { job } = request;
      const caller = deps.createCaller({ id: `cron:${job.id}`, scopes: scopesFor(job, undefined) });
      try {
        const ctx = await deliveryContext(caller);
        const key = sessionKeyFor(job, request.runId, ctx.defaultAgentId, ctx.mainKey);
        const turn = await runTurn(caller, request, { key, zone: deps.zone() });
        const delivery = await deliverRun(caller, request, turn, ctx);
        return { ...turn, ...delivery };
      } catch (error) {
        return { status: 'error', error: (error as Error).message, deliveryStatus: 'not-delivered' };
      } finally {
        caller.close();
      }
    },

    async sendFailureAlert(job, text, target) {
      const caller = deps.createCaller({ id: `cron:${job.id}:alert`, scopes: scopesFor(job, target) });
      try {
        await deliverAlert(caller, job, text, target, await deliveryContext(caller));
      } finally {
        caller.close();
      }
    },
  };
}

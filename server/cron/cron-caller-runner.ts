// The gateway's job runner: every run is an in-process caller named `cron:<jobId>`, so it goes
// through the same dispatcher as a client — scope checks, params validation, typed errors, the run
// manager's queue per session — and shows in the session transcript like any other turn.
import type { CallerPrincipal, InProcessCaller } from '../core/in-process-caller.js';
import { deliverAlert, deliverRun, type DeliveryContext } from './cron-delivery.js';
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

/** Runs and sends with write scope; only the session writer (chat.inject) holds admin. */
const TURN_SCOPES = ['operator.read', 'operator.write'] as const;
const WRITER_SCOPES = ['operator.write', 'operator.admin'] as const;
const AGENTS_INFO_TTL_MS = 1000;

export function createCallerRunner(deps: CallerRunnerDeps): CronJobRunner & CronAlertSender {
  // The default agent and main key, asked through agents.list at most once a second (a burst of
  // jobs due together asks once).
  let agentsInfo: { at: number; value: Promise<{ defaultId: string; mainKey: string }> } | undefined;
  const agentDefaults = (caller: InProcessCaller): Promise<{ defaultId: string; mainKey: string }> => {
    const at = Date.now();
    if (!agentsInfo || at - agentsInfo.at > AGENTS_INFO_TTL_MS) {
      const value = caller.call('agents.list', {}).then(({ defaultId, mainKey }) => ({ defaultId, mainKey }));
      agentsInfo = { at, value };
      value.catch(() => (agentsInfo = undefined));
    }
    return agentsInfo.value;
  };

  /** Runs `work` with the job's callers, closing them afterwards. */
  const withCallers = async <T>(name: string, work: (caller: InProcessCaller, ctx: DeliveryContext) => Promise<T>): Promise<T> => {
    const caller = deps.createCaller({ id: name, scopes: TURN_SCOPES });
    let writer: InProcessCaller | undefined;
    try {
      const agents = await agentDefaults(caller);
      const token = deps.webhookToken();
      const ctx: DeliveryContext = {
        defaultAgentId: agents.defaultId,
        mainKey: agents.mainKey,
        webhook: { ...deps.settings().webhook, signal: deps.signal, ...(token ? { token } : {}) },
        sessionWriter: () => (writer ??= deps.createCaller({ id: `${name}:announce`, scopes: WRITER_SCOPES })),
      };
      return await work(caller, ctx);
    } finally {
      caller.close();
      writer?.close();
    }
  };

  return {
    async run(request): Promise<CronRunOutcome> {
      const { job } = request;
      try {
        return await withCallers(`cron:${job.id}`, async (caller, ctx) => {
          const key = sessionKeyFor(job, request.runId, ctx.defaultAgentId, ctx.mainKey);
          const turn = await runTurn(caller, request, { key, zone: deps.zone() });
          const delivery = await deliverRun(caller, request, turn, ctx);
          return { ...turn, ...delivery };
        });
      } catch (error) {
        return { status: 'error', error: (error as Error).message, deliveryStatus: 'not-delivered' };
      }
    },

    sendFailureAlert(job, text, target) {
      return withCallers(`cron:${job.id}:alert`, (caller, ctx) => deliverAlert(caller, job, text, target, ctx));
    },
  };
}

// A CronService on real files in a temp dir, with a manual clock and a scripted job runner, for
// scheduler tests that must not wait for real time.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CronEvent } from '../../contract/schemas/cron.js';
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import { fileCronJobStore } from '../../server/cron/cron-job-store.js';
import { fileCronRunLogs } from '../../server/cron/cron-run-log.js';
import type { CronAlertTarget, CronRunOutcome, CronRunRequest } from '../../server/cron/cron-run-types.js';
import { CronService } from '../../server/cron/cron-service.js';
import { cronSettings } from '../../server/cron/cron-settings.js';
import { ManualClock } from './manual-clock.js';

export interface CronKit {
  readonly service: CronService;
  readonly clock: ManualClock;
  readonly dir: string;
  readonly storePath: string;
  /** Every run the runner was asked for, in order. */
  readonly runs: CronRunRequest[];
  readonly alerts: { text: string; target: CronAlertTarget }[];
  readonly events: CronEvent[];
  /** How the runner answers (default: ok at once). */
  answer: (request: CronRunRequest) => CronRunOutcome | Promise<CronRunOutcome>;
}

export const OK: CronRunOutcome = { status: 'ok', summary: 'done', deliveryStatus: 'not-requested' };

export function cronKit(options: { now: number; dir?: string; cron?: OpenClawConfig['cron']; zone?: string }): CronKit {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'openclaw-cron-'));
  const storePath = join(dir, 'cron', 'jobs.json');
  const clock = new ManualClock(options.now);
  const runs: CronRunRequest[] = [];
  const alerts: CronKit['alerts'] = [];
  const events: CronEvent[] = [];
  const config: OpenClawConfig = options.cron ? { cron: options.cron } : {};
  const kit: CronKit = {
    dir,
    storePath,
    clock,
    runs,
    alerts,
    events,
    answer: () => OK,
    service: undefined as unknown as CronService,
  };
  const service = new CronService({
    clock,
    store: fileCronJobStore(storePath),
    runLogs: fileCronRunLogs(join(dir, 'cron', 'runs'), { maxBytes: 2_000_000, onError: (e) => { throw e; } }),
    runner: {
      run: async (request) => {
        runs.push(request);
        return kit.answer(request);
      },
    },
    alerts: {
      sendFailureAlert: async (_job, text, target) => {
        alerts.push({ text, target });
      },
    },
    settings: () => cronSettings(config),
    zone: () => options.zone ?? 'UTC',
    publish: (event) => events.push(event),
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    agents: async () => ({ defaultId: 'main', has: (id) => id === 'main' || id === 'ops' }),
  });
  (kit as { service: CronService }).service = service;
  service.start();
  return kit;
}

/** A runner answer that waits until `release()` is called. */
export function held(): { answer: () => Promise<CronRunOutcome>; release(outcome?: CronRunOutcome): void; readonly waiting: number } {
  const pending: ((o: CronRunOutcome) => void)[] = [];
  return {
    answer: () => new Promise((resolve) => pending.push(resolve)),
    release: (outcome = OK) => pending.shift()?.(outcome),
    get waiting() {
      return pending.length;
    },
  };
}

export const isolatedTurn = { kind: 'agentTurn' as const, message: 'do the thing' };
export const systemEvent = { kind: 'systemEvent' as const, text: 'remember' };

// Builds the gateway's cron service from its runtime: jobs.json and run logs in the state dir, the
// system clock, runs and deliveries through in-process callers, `cron` events on the hub, and the
// `cron` agent tool. Stopped (its state persisted) before the agent runtime shuts down.
import { dirname, join } from 'node:path';
import { resolveSecret } from '../config/gateway-settings.js';
import type { InProcessCaller } from '../core/in-process-caller.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import { createCallerRunner } from './cron-caller-runner.js';
import { systemClock } from './cron-clock.js';
import { fileCronJobStore } from './cron-job-store.js';
import { fileCronRunLogs } from './cron-run-log.js';
import { CronService } from './cron-service.js';
import { CronSessionReaper, parseRetention } from './cron-session-reaper.js';
import { cronSettings, cronStorePath } from './cron-settings.js';
import { gatewayTimeZone } from './cron-time-zone.js';
import { registerCronTool } from './cron-tool.js';

export function createCronService(rt: GatewayRuntime, tools: ToolRegistry): CronService {
  const settings = () => cronSettings(rt.config.config);
  const storePath = cronStorePath(rt.config.config, rt.paths.stateDir);
  const zone = gatewayTimeZone(rt.env);
  const stopping = new AbortController();
  let reader: InProcessCaller | undefined;
  const runner = createCallerRunner({
    createCaller: (principal) => rt.createCaller(principal),
    zone: () => zone,
    settings,
    webhookToken: () => resolveSecret(rt.config.config.cron?.webhookToken, rt.env, 'cron.webhookToken'),
    signal: stopping.signal,
  });
  const reaper = new CronSessionReaper({
    createCaller: (principal) => rt.createCaller(principal),
    retentionMs: () => parseRetention(rt.config.config.cron?.sessionRetention) ?? 86_400_000,
    now: () => Date.now(),
    onError: (error) => rt.logger.warn('cron: old run sessions not pruned', { error: error.message }),
  });
  const service = new CronService({
    reaper,
    clock: systemClock,
    store: fileCronJobStore(storePath),
    runLogs: fileCronRunLogs(join(dirname(storePath), 'runs'), {
      maxBytes: settings().runLogMaxBytes,
      onError: (error) => rt.logger.error('cron: run log write failed', { error: error.message }),
    }),
    runner,
    alerts: runner,
    settings,
    zone: () => zone,
    publish: (event) => rt.hub.publish('cron', event),
    logger: rt.logger,
    async agents() {
      reader ??= rt.createCaller({ id: 'cron', scopes: ['operator.read'] });
      const listed = await reader.call('agents.list', {});
      const ids = new Set(listed.agents.map((a) => a.id));
      return { defaultId: listed.defaultId, has: (id) => ids.has(id) };
    },
  });
  service.start();
  registerCronTool(tools, rt);
  rt.onShutdown(async () => {
    stopping.abort();
    await service.stop();
    reader?.close();
  });
  return service;
}

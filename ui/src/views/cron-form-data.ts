// The cron job form as cron.add params, and a schedule in words.
import type { CronSchedule } from '../../../contract/schemas/cron-job.js';
import type { GatewayMethods } from '../../../generated/clients/method-map.js';

export type CronJobInput = GatewayMethods['cron.add']['params'];

export function jobInputFromForm(data: FormData): CronJobInput | string {
  const text = (name: string): string => String(data.get(name) ?? '').trim();
  const name = text('name');
  const message = text('message');
  if (!name) return 'A job needs a name.';
  if (!message) return 'A job needs a message for the agent.';
  let schedule: CronJobInput['schedule'];
  switch (text('kind')) {
    case 'cron':
      if (!text('expr')) return 'Enter a cron expression, e.g. 0 9 * * 1-5.';
      schedule = { kind: 'cron', expr: text('expr'), ...(text('tz') ? { tz: text('tz') } : {}) };
      break;
    case 'at': {
      const at = new Date(text('at'));
      if (Number.isNaN(at.getTime())) return 'Pick the date and time the job runs.';
      schedule = { kind: 'at', at: at.toISOString() };
      break;
    }
    default: {
      const minutes = Number(text('everyMinutes'));
      if (!Number.isInteger(minutes) || minutes < 1) return 'Every: a whole number of minutes, at least 1.';
      schedule = { kind: 'every', everyMs: minutes * 60_000 };
    }
  }
  const agentId = text('agentId');
  return {
    name,
    schedule,
    payload: { kind: 'agentTurn', message },
    enabled: data.get('enabled') === 'on',
    ...(agentId ? { agentId } : {}),
  };
}

export function describeSchedule(s: CronSchedule): string {
  if (s.kind === 'cron') return `cron ${s.expr}${s.tz ? ` (${s.tz})` : ''}`;
  if (s.kind === 'at') return `once at ${new Date(s.at).toLocaleString()}`;
  const minutes = s.everyMs / 60_000;
  if (minutes >= 60 && minutes % 60 === 0) return `every ${minutes / 60} h`;
  return minutes >= 1 ? `every ${Math.round(minutes)} min` : `every ${Math.round(s.everyMs / 1000)} s`;
}

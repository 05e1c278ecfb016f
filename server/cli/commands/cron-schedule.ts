// `cron add` schedule flags as upstream reads them: --at (an ISO time, offset-less = UTC unless
// --tz, or a duration from now such as 20m), --every <duration>, --cron <expr> [--tz] [--stagger].
import parseDuration from 'parse-duration';
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { usageError } from '../client/client-command.js';

export type CronScheduleInput = GatewayMethods['cron.add']['params']['schedule'];

/** A duration with a unit ("10m", "1h30m", "2d"); a bare number is refused as ambiguous. */
export function durationMs(raw: string, flag: string): number {
  const ms = /[a-z]/i.test(raw) ? parseDuration(raw) : null;
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms <= 0) {
    throw usageError('cron add', `${flag} needs a duration with a unit, such as 30s, 10m, 1h30m or 2d (got "${raw}")`);
  }
  return Math.round(ms);
}

/** How far `tz` is ahead of UTC at `date`, in ms. */
function zoneOffsetMs(date: Date, tz: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(date.getTime() / 1000) * 1000;
}

function checkZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw usageError('cron add', `--tz "${tz}" is not a time zone (use an IANA name such as Europe/Berlin)`);
  }
}

const HAS_OFFSET = /(?:[zZ]|[+-]\d{2}:?\d{2})$/;

export function atTime(raw: string, tz: string | undefined, now = Date.now()): string {
  const value = raw.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    let date: Date;
    if (HAS_OFFSET.test(value)) date = new Date(value);
    else if (tz) {
      // A wall-clock time in `tz`: the offset there at (about) that moment.
      const guess = new Date(`${value}Z`);
      date = new Date(guess.getTime() - zoneOffsetMs(guess, tz));
    } else date = new Date(`${value}Z`);
    if (Number.isNaN(date.getTime())) throw usageError('cron add', `--at "${raw}" is not a date and time (e.g. 2026-01-31T09:00, 2026-01-31T09:00+01:00 or 20m)`);
    return date.toISOString();
  }
  return new Date(now + durationMs(value, '--at')).toISOString();
}

export interface ScheduleFlags {
  readonly at?: string | undefined;
  readonly every?: string | undefined;
  readonly cron?: string | undefined;
  readonly tz?: string | undefined;
  readonly stagger?: string | undefined;
  readonly exact?: boolean | undefined;
}

export function scheduleFromFlags(flags: ScheduleFlags): CronScheduleInput {
  const given = [flags.at, flags.every, flags.cron].filter((v) => v !== undefined).length;
  if (given !== 1) throw usageError('cron add', 'give exactly one schedule: --at <time|duration>, --every <duration> or --cron <expr>');
  if (flags.tz) checkZone(flags.tz);
  if (flags.at !== undefined) return { kind: 'at', at: atTime(flags.at, flags.tz) };
  if (flags.every !== undefined) return { kind: 'every', everyMs: durationMs(flags.every, '--every') };
  if (flags.stagger !== undefined && flags.exact) throw usageError('cron add', 'use either --stagger or --exact');
  const schedule: Extract<CronScheduleInput, { kind: 'cron' }> = { kind: 'cron', expr: flags.cron!.trim() };
  if (flags.tz) schedule.tz = flags.tz;
  if (flags.exact) schedule.staggerMs = 0;
  else if (flags.stagger !== undefined) schedule.staggerMs = durationMs(flags.stagger, '--stagger');
  return schedule;
}

/** A schedule in a table cell: "at 2026-01-31 09:00Z", "every 10m", "0 9 * * * (Europe/Berlin)". */
export function describeSchedule(schedule: { kind: string; at?: string; everyMs?: number; expr?: string; tz?: string }): string {
  if (schedule.kind === 'at') return `at ${schedule.at}`;
  if (schedule.kind === 'every') return `every ${everyText(schedule.everyMs ?? 0)}`;
  return `${schedule.expr}${schedule.tz ? ` (${schedule.tz})` : ''}`;
}

function everyText(ms: number): string {
  for (const [size, unit] of [[86_400_000, 'd'], [3_600_000, 'h'], [60_000, 'm'], [1_000, 's']] as const) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

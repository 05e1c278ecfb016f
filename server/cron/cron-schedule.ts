// When a job's slots fall: `at` (one instant), `every` (anchor + k·everyMs) and `cron` (croner, in
// the job's IANA zone, so DST gaps and repeats follow croner's rules: a fixed time in a gap runs once
// right after it, a repeated fixed time runs once). A stagger shifts every cron slot by a stable
// per-job offset. Slots are always computed from the schedule, never from the time a run ended.
import { Cron } from 'croner';
import type { CronSchedule } from '../../contract/schemas/cron-job.js';
import { GatewayError } from '../core/gateway-error.js';
import { isValidTimeZone } from './cron-time-zone.js';

const ONE_MINUTE_MS = 60_000;
const TEN_YEARS_MS = 315_576_000_000;
/** Upstream's default for hourly top-of-the-hour expressions, so many such jobs do not fire at once. */
export const DEFAULT_TOP_OF_HOUR_STAGGER_MS = 5 * ONE_MINUTE_MS;
const CACHE_MAX = 1024;

const cronCache = new Map<string, Cron>();

export const scheduleInvalid = (message: string): GatewayError =>
  new GatewayError('INVALID_REQUEST', message, { details: { code: 'SCHEDULE_INVALID' } });

/** One croner instance per expression and zone; it is only asked for dates, never started. */
function cronFor(expr: string, zone: string): Cron {
  const key = `${zone}\u0000${expr}`;
  let cron = cronCache.get(key);
  if (!cron) {
    cron = new Cron(expr, { timezone: zone, paused: true });
    if (cronCache.size >= CACHE_MAX) cronCache.delete(cronCache.keys().next().value!);
    cronCache.set(key, cron);
  }
  return cron;
}

/** ISO-8601 (a missing offset means UTC, as upstream reads it) or epoch milliseconds as digits. */
export function parseAtMs(at: string): number | undefined {
  const raw = at.trim();
  if (/^\d{1,15}$/.test(raw)) return Number(raw) > 0 ? Number(raw) : undefined;
  let iso = raw;
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(raw)) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) iso = `${raw}T00:00:00Z`;
    else if (/^\d{4}-\d{2}-\d{2}T/.test(raw)) iso = `${raw}Z`;
  }
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Upstream's rule: an hourly expression at minute 0 (`0 * * * *`) is staggered by default. */
export function isTopOfHourExpr(expr: string): boolean {
  const fields = expr.trim().split(/\s+/);
  if (fields.length === 5) return fields[0] === '0' && fields[1]!.includes('*');
  if (fields.length === 6) return fields[0] === '0' && fields[1] === '0' && fields[2]!.includes('*');
  return false;
}

/** A stable offset in [0, staggerMs) derived from the job id (FNV-1a). */
export function staggerOffsetMs(jobId: string, staggerMs: number | undefined): number {
  if (!staggerMs || staggerMs <= 0) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < jobId.length; i++) hash = Math.imul(hash ^ jobId.charCodeAt(i), 0x01000193) >>> 0;
  return hash % staggerMs;
}

/** What the slot computations need besides the schedule. */
export interface SlotContext {
  readonly jobId: string;
  /** The zone of a cron schedule without `tz` (jobs written by another version). */
  readonly defaultZone: string;
  /** The anchor of an `every` schedule without `anchorMs`. */
  readonly createdAtMs: number;
}

/**
 * Checks a schedule a caller sent: the expression parses and ever matches, the zone exists, an `at`
 * lies between a minute ago and ten years ahead. Throws SCHEDULE_INVALID saying what to fix.
 */
export function assertValidSchedule(schedule: CronSchedule, nowMs: number, defaultZone: string): void {
  if (schedule.kind === 'at') {
    const at = parseAtMs(schedule.at);
    if (at === undefined) throw scheduleInvalid(`schedule.at "${schedule.at.slice(0, 64)}" is not an ISO-8601 time; use e.g. 2026-05-01T09:00:00Z`);
    if (at < nowMs - ONE_MINUTE_MS) throw scheduleInvalid(`schedule.at ${new Date(at).toISOString()} is in the past; give a time from now on`);
    if (at > nowMs + TEN_YEARS_MS) throw scheduleInvalid(`schedule.at ${new Date(at).toISOString()} is more than ten years ahead`);
    return;
  }
  if (schedule.kind === 'every') return;
  const zone = schedule.tz ?? defaultZone;
  if (!isValidTimeZone(zone)) throw scheduleInvalid(`schedule.tz "${zone.slice(0, 64)}" is not an IANA time zone; use e.g. Europe/Berlin or UTC`);
  let cron: Cron;
  try {
    cron = cronFor(schedule.expr.trim(), zone);
  } catch (error) {
    throw scheduleInvalid(`schedule.expr "${schedule.expr.slice(0, 64)}" is not a cron expression (${(error as Error).message}); use 5 fields (m h dom mon dow) or 6 with seconds first`);
  }
  if (!cron.nextRun(new Date(nowMs))) throw scheduleInvalid(`schedule.expr "${schedule.expr.slice(0, 64)}" never matches a future time`);
}

/** The first slot strictly after `afterMs`, or undefined when there is none (an `at` in the past). */
export function nextSlotAfter(schedule: CronSchedule, afterMs: number, ctx: SlotContext): number | undefined {
  if (schedule.kind === 'at') {
    const at = parseAtMs(schedule.at);
    return at !== undefined && at > afterMs ? at : undefined;
  }
  if (schedule.kind === 'every') {
    const anchor = schedule.anchorMs ?? ctx.createdAtMs;
    if (afterMs < anchor) return anchor;
    return anchor + (Math.floor((afterMs - anchor) / schedule.everyMs) + 1) * schedule.everyMs;
  }
  const offset = staggerOffsetMs(ctx.jobId, schedule.staggerMs);
  const next = cronFor(schedule.expr.trim(), schedule.tz ?? ctx.defaultZone).nextRun(new Date(afterMs - offset));
  return next ? next.getTime() + offset : undefined;
}

/** The last slot at or before `atMs` that comes after `afterMs` (the newest missed slot), if any. */
export function latestSlotBetween(schedule: CronSchedule, afterMs: number, atMs: number, ctx: SlotContext): number | undefined {
  const first = nextSlotAfter(schedule, afterMs, ctx);
  if (first === undefined || first > atMs) return undefined;
  if (schedule.kind === 'at') return first;
  if (schedule.kind === 'every') {
    const anchor = schedule.anchorMs ?? ctx.createdAtMs;
    return anchor + Math.floor((atMs - anchor) / schedule.everyMs) * schedule.everyMs;
  }
  const offset = staggerOffsetMs(ctx.jobId, schedule.staggerMs);
  const cron = cronFor(schedule.expr.trim(), schedule.tz ?? ctx.defaultZone);
  const [previous] = cron.previousRuns(1, new Date(atMs - offset + 1));
  const latest = previous ? previous.getTime() + offset : first;
  return latest > afterMs && latest <= atMs ? latest : first;
}

/** How many slots fall in (afterMs, atMs], counting at most `cap`. */
export function countSlotsBetween(schedule: CronSchedule, afterMs: number, atMs: number, ctx: SlotContext, cap = 1000): number {
  if (schedule.kind === 'every') {
    const first = nextSlotAfter(schedule, afterMs, ctx);
    if (first === undefined || first > atMs) return 0;
    return Math.min(cap, Math.floor((atMs - first) / schedule.everyMs) + 1);
  }
  let count = 0;
  let cursor = afterMs;
  while (count < cap) {
    const next = nextSlotAfter(schedule, cursor, ctx);
    if (next === undefined || next > atMs) break;
    count++;
    cursor = next;
  }
  return count;
}

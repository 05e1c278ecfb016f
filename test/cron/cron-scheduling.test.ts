// The scheduler with a manual clock: slots at the right instant (DST included), one timer however
// many jobs, reads that never move a schedule, concurrency and one-shot jobs.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CronJob } from '../../contract/schemas/cron-job.js';
import { fileCronJobStore } from '../../server/cron/cron-job-store.js';
import { describe, expect, it } from 'vitest';
import { cronKit, held, isolatedTurn, systemEvent } from './cron-kit.js';

const at = (iso: string): number => Date.parse(iso);
const slots = (kit: ReturnType<typeof cronKit>): string[] => kit.runs.map((r) => new Date(r.startedAtMs).toISOString());

describe('cron slots', () => {
  it('runs 02:30 America/New_York once on the spring-forward day, at 03:00 EDT, and daily at 02:30 after', async () => {
    const kit = cronKit({ now: at('2026-03-07T12:00:00Z') });
    const job = await kit.service.add({ name: 'dst', schedule: { kind: 'cron', expr: '30 2 * * *', tz: 'America/New_York' }, payload: isolatedTurn });
    await kit.clock.advanceTo(at('2026-03-10T12:00:00Z'));
    expect(slots(kit)).toEqual(['2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z', '2026-03-10T06:30:00.000Z']);
    expect(kit.runs.map((r) => r.scheduledAtMs)).toEqual(kit.runs.map((r) => r.startedAtMs));
    expect(kit.service.get(job.id)!.state.nextRunAtMs).toBe(at('2026-03-11T06:30:00Z'));
  });

  it('runs 02:30 and 01:30 America/New_York once each on the fall-back day', async () => {
    const kit = cronKit({ now: at('2026-10-31T12:00:00Z'), cron: { maxConcurrentRuns: 2 } });
    await kit.service.add({ name: '0230', schedule: { kind: 'cron', expr: '30 2 * * *', tz: 'America/New_York' }, payload: isolatedTurn });
    await kit.service.add({ name: '0130', schedule: { kind: 'cron', expr: '30 1 * * *', tz: 'America/New_York' }, payload: isolatedTurn });
    await kit.clock.advanceTo(at('2026-11-01T23:00:00Z'));
    // 01:30 EDT (05:30Z) happens, then 01:30 EST (06:30Z) again: it runs at the first one only.
    expect(slots(kit)).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-01T07:30:00.000Z']);
  });

  it('writes the gateway zone into a cron schedule without tz, and cron.list shows it', async () => {
    const kit = cronKit({ now: at('2026-05-01T00:00:00Z'), zone: 'Europe/Berlin' });
    const job = await kit.service.add({ name: 'berlin', schedule: { kind: 'cron', expr: '0 9 * * *' }, payload: isolatedTurn });
    expect(job.schedule).toEqual({ kind: 'cron', expr: '0 9 * * *', tz: 'Europe/Berlin' });
    expect(kit.service.list({}).jobs[0]!.schedule).toMatchObject({ tz: 'Europe/Berlin' });
    expect(job.state.nextRunAtMs).toBe(at('2026-05-01T07:00:00Z'));
    const stored = JSON.parse(readFileSync(kit.storePath, 'utf8'));
    expect(stored.jobs[0].schedule.tz).toBe('Europe/Berlin');
  });

  it('keeps one timer for 10,000 jobs, sleeps at most a minute, and wakes about once a minute when idle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openclaw-cron-'));
    const jobs: CronJob[] = Array.from({ length: 10_000 }, (_, i) => ({
      id: `job-${i}`,
      name: `j${i}`,
      enabled: true,
      createdAtMs: 0,
      updatedAtMs: 0,
      schedule: { kind: 'cron', expr: '0 3 * * *', tz: 'UTC' },
      sessionTarget: 'isolated',
      wakeMode: 'now',
      payload: isolatedTurn,
      state: { nextRunAtMs: at('2026-05-02T03:00:00Z') },
    }));
    fileCronJobStore(join(dir, 'cron', 'jobs.json')).save(jobs);
    const kit = cronKit({ now: at('2026-05-01T00:00:00Z'), dir });
    expect(kit.service.status().jobs).toBe(10_000);
    expect(kit.clock.pending).toBe(1);
    const firedBefore = kit.clock.fired;
    await kit.clock.advance(60 * 60_000);
    expect(kit.clock.fired - firedBefore).toBeLessThanOrEqual(61);
    expect(kit.clock.pending).toBe(1);
    expect(Math.max(...kit.clock.armed)).toBeLessThanOrEqual(60_000);
    expect(kit.runs).toHaveLength(0);
  });
});

describe('reads never change schedule state', () => {
  it('leaves a due-but-waiting slot in place through cron.list and cron.status, then runs it', async () => {
    const kit = cronKit({ now: at('2026-05-01T00:00:00Z') });
    const gate = held();
    kit.answer = gate.answer;
    const blocker = await kit.service.add({ name: 'blocker', schedule: { kind: 'every', everyMs: 3_600_000 }, payload: isolatedTurn });
    const waiting = await kit.service.add({ name: 'waiting', schedule: { kind: 'every', everyMs: 60_000 }, payload: isolatedTurn });
    kit.service.run(blocker.id, 'force');
    await kit.clock.advance(1);
    const slot = kit.service.get(waiting.id)!.state.nextRunAtMs!;
    await kit.clock.advanceTo(slot + 5 * 60_000);
    const before = readFileSync(kit.storePath, 'utf8');
    for (let i = 0; i < 5; i++) {
      expect(kit.service.list({ includeDisabled: true }).jobs.find((j) => j.id === waiting.id)!.state.nextRunAtMs).toBe(slot);
      expect(kit.service.status()).toMatchObject({ running: 1, queued: 1 });
    }
    expect(readFileSync(kit.storePath, 'utf8')).toBe(before);
    gate.release();
    await kit.clock.advance(1);
    gate.release();
    await kit.clock.advance(1);
    const run = kit.runs.find((r) => r.job.id === waiting.id)!;
    expect(run.scheduledAtMs).toBe(slot);
    // Five slots passed while it waited: catchUp once runs the newest of them next, once.
    expect(kit.service.get(waiting.id)!.state.nextRunAtMs).toBe(slot + 5 * 60_000);
  });
});

describe('concurrency and one-shot jobs', () => {
  it('answers already-running and not-due, and enqueues with a run id', async () => {
    const kit = cronKit({ now: at('2026-05-01T00:00:00Z') });
    const gate = held();
    kit.answer = gate.answer;
    const job = await kit.service.add({ name: 'j', schedule: { kind: 'every', everyMs: 60_000 }, payload: isolatedTurn });
    expect(kit.service.run(job.id, 'due')).toEqual({ ok: true, ran: false, reason: 'not-due' });
    const first = kit.service.run(job.id);
    expect(first).toMatchObject({ ok: true, enqueued: true });
    expect((first as { runId: string }).runId).toMatch(new RegExp(`^manual:${job.id}:\\d+:1$`));
    expect(kit.service.run(job.id)).toEqual({ ok: true, ran: false, reason: 'already-running' });
    await kit.clock.advance(1);
    expect(kit.service.run(job.id)).toEqual({ ok: true, ran: false, reason: 'already-running' });
    gate.release();
    await kit.clock.advance(1);
    expect(kit.service.runs({ id: job.id }).entries[0]).toMatchObject({ status: 'ok', trigger: 'manual', runId: (first as { runId: string }).runId });
  });

  it('runs at most maxConcurrentRuns at once and the rest in slot order', async () => {
    const kit = cronKit({ now: at('2026-05-01T00:00:00Z'), cron: { maxConcurrentRuns: 2 } });
    const gate = held();
    kit.answer = gate.answer;
    for (let i = 0; i < 5; i++) await kit.service.add({ name: `j${i}`, schedule: { kind: 'at', at: new Date(at('2026-05-01T00:01:00Z') + i).toISOString() }, payload: isolatedTurn });
    await kit.clock.advanceTo(at('2026-05-01T00:01:01Z'));
    expect(kit.runs.map((r) => r.job.name)).toEqual(['j0', 'j1']);
    gate.release();
    await kit.clock.advance(1);
    expect(kit.runs.map((r) => r.job.name)).toEqual(['j0', 'j1', 'j2']);
    while (gate.waiting > 0) {
      gate.release();
      await kit.clock.advance(1);
    }
    expect(kit.runs).toHaveLength(5);
  });

  it('deletes an at job after a successful run (deleteAfterRun default) and disables one that keeps itself', async () => {
    const kit = cronKit({ now: at('2026-05-01T00:00:00Z') });
    const once = await kit.service.add({ name: 'once', schedule: { kind: 'at', at: '2026-05-01T00:00:30Z' }, payload: isolatedTurn });
    const kept = await kit.service.add({ name: 'kept', deleteAfterRun: false, schedule: { kind: 'at', at: '2026-05-01T00:00:40Z' }, payload: isolatedTurn });
    expect(once.deleteAfterRun).toBe(true);
    await kit.clock.advanceTo(at('2026-05-01T00:01:00Z'));
    expect(kit.service.get(once.id)).toBeUndefined();
    expect(kit.events.filter((e) => e.jobId === once.id).map((e) => e.action)).toEqual(['added', 'started', 'finished', 'removed']);
    expect(kit.service.get(kept.id)).toMatchObject({ enabled: false, state: { lastStatus: 'ok' } });
    expect(kit.service.get(kept.id)!.state.nextRunAtMs).toBeUndefined();
  });

  it('never fires a disabled job, and a re-enabled one resumes at its next future slot', async () => {
    const kit = cronKit({ now: at('2026-05-01T00:00:00Z') });
    const job = await kit.service.add({ name: 'off', enabled: false, schedule: { kind: 'every', everyMs: 60_000 }, payload: isolatedTurn });
    expect(job.state.nextRunAtMs).toBeUndefined();
    await kit.clock.advance(10 * 60_000);
    expect(kit.runs).toHaveLength(0);
    const on = await kit.service.update({ id: job.id, patch: { enabled: true } });
    expect(on.state.nextRunAtMs).toBe(at('2026-05-01T00:11:00Z'));
    await kit.service.update({ id: job.id, patch: { enabled: false } });
    await kit.clock.advance(10 * 60_000);
    expect(kit.runs).toHaveLength(0);
  });

  it('gives a systemEvent the main session and an agentTurn an isolated one, and refuses the other pairings', async () => {
    const kit = cronKit({ now: at('2026-05-01T00:00:00Z') });
    const main = await kit.service.add({ name: 'm', schedule: { kind: 'every', everyMs: 60_000 }, payload: systemEvent });
    expect(main).toMatchObject({ sessionTarget: 'main', wakeMode: 'now', catchUp: 'once' });
    expect(main.delivery).toBeUndefined();
    const iso = await kit.service.add({ name: 'i', schedule: { kind: 'every', everyMs: 60_000 }, payload: isolatedTurn });
    expect(iso).toMatchObject({ sessionTarget: 'isolated', delivery: { mode: 'announce' } });
    const current = await kit.service.add({ name: 'c', sessionKey: 'agent:main:chat-7', sessionTarget: 'current', schedule: { kind: 'every', everyMs: 60_000 }, payload: isolatedTurn });
    expect(current.sessionTarget).toBe('session:agent:main:chat-7');
    await expect(kit.service.add({ name: 'x', sessionTarget: 'main', schedule: { kind: 'every', everyMs: 1000 }, payload: isolatedTurn })).rejects.toMatchObject({ details: { code: 'INVALID_PARAMS' } });
    await expect(kit.service.add({ name: 'x', sessionTarget: 'isolated', schedule: { kind: 'every', everyMs: 1000 }, payload: systemEvent })).rejects.toMatchObject({ details: { code: 'INVALID_PARAMS' } });
    await expect(kit.service.add({ name: 'x', agentId: 'nobody', schedule: { kind: 'every', everyMs: 1000 }, payload: isolatedTurn })).rejects.toMatchObject({ details: { code: 'AGENT_NOT_FOUND' } });
    await expect(kit.service.add({ name: 'x', schedule: { kind: 'cron', expr: '61 * * * *' }, payload: isolatedTurn })).rejects.toMatchObject({ details: { code: 'SCHEDULE_INVALID' } });
    await expect(kit.service.add({ name: 'x', schedule: { kind: 'cron', expr: '0 9 * * *', tz: 'Mars/Olympus' }, payload: isolatedTurn })).rejects.toMatchObject({ details: { code: 'SCHEDULE_INVALID' } });
    await expect(kit.service.add({ name: 'x', schedule: { kind: 'at', at: '2020-01-01T00:00:00Z' }, payload: isolatedTurn })).rejects.toMatchObject({ details: { code: 'SCHEDULE_INVALID' } });
    await expect(
      kit.service.add({ name: 'x', schedule: { kind: 'every', everyMs: 1000 }, payload: isolatedTurn, delivery: { mode: 'webhook', to: 'ftp://example.test/x' } }),
    ).rejects.toMatchObject({ details: { code: 'INVALID_PARAMS' } });
    expect(kit.service.list({}).total).toBe(3);
  });
});

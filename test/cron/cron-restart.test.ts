// Restarts with a manual clock: a second service on the same files sees exactly what the first one
// did — interrupted runs are logged and run again for the same slot, missed slots follow catchUp,
// catch-ups are bounded, and nothing runs twice. Also failure alerts and an unreadable jobs.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cronKit, held, isolatedTurn } from './cron-kit.js';

const T0 = Date.parse('2026-05-01T00:00:00Z');
const MIN = 60_000;

describe('restart', () => {
  it('records a run cut off by a stop as interrupted and runs that slot again, once', async () => {
    const first = cronKit({ now: T0 });
    const gate = held();
    first.answer = gate.answer;
    const job = await first.service.add({ name: 'long', schedule: { kind: 'every', everyMs: 10 * MIN }, payload: isolatedTurn });
    const slot = job.state.nextRunAtMs!;
    await first.clock.advanceTo(slot + 1000);
    expect(first.runs).toHaveLength(1);
    await first.service.stop();
    gate.release(); // the run's answer arrives after the stop: it is not applied
    const stored = JSON.parse(readFileSync(first.storePath, 'utf8')).jobs[0];
    expect(stored.state).toMatchObject({ runningScheduledAtMs: slot, runningRunId: `cron:${job.id}:${slot}` });

    const second = cronKit({ now: slot + 2 * MIN, dir: first.dir });
    await second.clock.advance(1);
    expect(second.runs.map((r) => [r.trigger, r.scheduledAtMs])).toEqual([['restart', slot]]);
    const entries = second.service.runs({ id: job.id, sortDir: 'asc' }).entries;
    expect(entries.map((e) => [e.status, e.interrupted ?? false, e.scheduledAtMs])).toEqual([
      ['error', true, slot],
      ['ok', false, slot],
    ]);
    expect(second.service.get(job.id)!.state).toMatchObject({ lastScheduledAtMs: slot, nextRunAtMs: slot + 10 * MIN, consecutiveErrors: 0 });
    await second.clock.advanceTo(slot + 10 * MIN + 1);
    expect(second.runs.map((r) => r.scheduledAtMs)).toEqual([slot, slot + 10 * MIN]);
  });

  it('does not repeat a run that finished just before the crash lost the state write', async () => {
    const first = cronKit({ now: T0 });
    const job = await first.service.add({ name: 'quick', schedule: { kind: 'every', everyMs: 10 * MIN }, payload: isolatedTurn });
    const slot = job.state.nextRunAtMs!;
    await first.clock.advanceTo(slot + 1000);
    expect(first.runs).toHaveLength(1);
    // Put back the file as it was written at the run's start (the finish write "lost").
    const file = JSON.parse(readFileSync(first.storePath, 'utf8'));
    Object.assign(file.jobs[0].state, { runningAtMs: slot, runningRunId: `cron:${job.id}:${slot}`, runningScheduledAtMs: slot, nextRunAtMs: slot });
    writeFileSync(first.storePath, JSON.stringify(file));
    const second = cronKit({ now: slot + 2 * MIN, dir: first.dir });
    await second.clock.advance(1);
    expect(second.runs).toHaveLength(0);
    expect(second.service.get(job.id)!.state).toMatchObject({ lastScheduledAtMs: slot, nextRunAtMs: slot + 10 * MIN });
  });

  it('runs the newest missed slot once after downtime (catchUp once) and skips with a log entry (catchUp skip)', async () => {
    const first = cronKit({ now: T0 });
    const once = await first.service.add({ name: 'once', schedule: { kind: 'every', everyMs: MIN }, payload: isolatedTurn });
    const skip = await first.service.add({ name: 'skip', catchUp: 'skip', schedule: { kind: 'every', everyMs: MIN }, payload: isolatedTurn });
    await first.clock.advanceTo(T0 + MIN + 1);
    await first.clock.advance(10);
    expect(first.runs.map((r) => r.scheduledAtMs)).toEqual([T0 + MIN, T0 + MIN]);
    await first.service.stop();
    const ranBefore = first.runs.map((r) => `${r.job.name}@${r.scheduledAtMs}`);

    const down = T0 + 10 * MIN + 30_000;
    const second = cronKit({ now: down, dir: first.dir });
    await second.clock.advance(1);
    await second.clock.advance(1);
    const caughtUp = second.runs.filter((r) => r.job.id === once.id);
    expect(caughtUp.map((r) => [r.trigger, r.scheduledAtMs])).toEqual([['catch-up', T0 + 10 * MIN]]);
    expect(second.runs.filter((r) => r.job.id === skip.id)).toHaveLength(0);
    const skipped = second.service.runs({ id: skip.id }).entries[0]!;
    expect(skipped).toMatchObject({ status: 'skipped', trigger: 'catch-up' });
    expect(skipped.error).toMatch(/missed \d+ run\(s\) while the gateway was down/);
    expect(second.service.get(skip.id)!.state.nextRunAtMs).toBe(T0 + 11 * MIN);
    expect(second.service.get(once.id)!.state.nextRunAtMs).toBe(T0 + 11 * MIN);
    // Every slot ran at most once across both lives.
    const all = [...ranBefore, ...second.runs.map((r) => `${r.job.name}@${r.scheduledAtMs}`)];
    expect(new Set(all).size).toBe(all.length);
  });

  it('starts at most catchUp.maxPerRestart catch-ups at once and staggers the rest', async () => {
    const first = cronKit({ now: T0, cron: { catchUp: { maxPerRestart: 2, staggerMs: 5000 }, maxConcurrentRuns: 10 } });
    for (let i = 0; i < 5; i++) await first.service.add({ name: `j${i}`, schedule: { kind: 'every', everyMs: 10 * MIN }, payload: isolatedTurn });
    await first.service.stop();
    const restart = T0 + 30 * MIN + 1;
    const second = cronKit({ now: restart, dir: first.dir, cron: { catchUp: { maxPerRestart: 2, staggerMs: 5000 }, maxConcurrentRuns: 10 } });
    await second.clock.advance(1);
    expect(second.runs).toHaveLength(2);
    await second.clock.advanceTo(restart + 5000);
    expect(second.runs).toHaveLength(3);
    await second.clock.advanceTo(restart + 15_000);
    expect(second.runs.map((r) => r.startedAtMs - restart)).toEqual([0, 0, 5000, 10_000, 15_000]);
    expect(second.runs.every((r) => r.trigger === 'catch-up' && r.scheduledAtMs === T0 + 30 * MIN)).toBe(true);
  });

  it('refuses changes and runs nothing while jobs.json cannot be read, and leaves the file as it is', async () => {
    const probe = cronKit({ now: T0 });
    mkdirSync(dirname(probe.storePath), { recursive: true });
    writeFileSync(probe.storePath, '{"version":1,"jobs":[ torn');
    const kit = cronKit({ now: T0, dir: probe.dir });
    expect(kit.service.status()).toMatchObject({ enabled: false });
    expect(kit.service.status().storeError).toMatch(/cannot be read/);
    await expect(kit.service.add({ name: 'x', schedule: { kind: 'every', everyMs: MIN }, payload: isolatedTurn })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      details: { code: 'CRON_STORE_UNAVAILABLE' },
    });
    await kit.service.stop();
    expect(readFileSync(kit.storePath, 'utf8')).toBe('{"version":1,"jobs":[ torn');
  });

  it('keeps entries it cannot read and fields it does not know when it rewrites jobs.json', async () => {
    const probe = cronKit({ now: T0 });
    const job = await probe.service.add({ name: 'mine', schedule: { kind: 'every', everyMs: MIN }, payload: isolatedTurn });
    const file = JSON.parse(readFileSync(probe.storePath, 'utf8'));
    file.jobs[0].notify = true;
    file.jobs.push({ id: 'from-the-future', schedule: { kind: 'lunar' } });
    writeFileSync(probe.storePath, JSON.stringify(file));
    const kit = cronKit({ now: T0, dir: probe.dir });
    await kit.service.update({ id: job.id, patch: { name: 'renamed' } });
    const after = JSON.parse(readFileSync(kit.storePath, 'utf8'));
    expect(after.jobs[0]).toMatchObject({ name: 'renamed', notify: true });
    expect(after.jobs[1]).toEqual({ id: 'from-the-future', schedule: { kind: 'lunar' } });
  });
});

describe('failure alerts', () => {
  it('alerts after N consecutive errors, stays quiet during the cooldown, and resets on success', async () => {
    const kit = cronKit({ now: T0 });
    let fail = true;
    kit.answer = () => (fail ? { status: 'error', error: 'provider said 500', deliveryStatus: 'not-requested' } : { status: 'ok', deliveryStatus: 'not-requested' });
    const job = await kit.service.add({
      name: 'flaky',
      schedule: { kind: 'every', everyMs: MIN },
      payload: isolatedTurn,
      delivery: { mode: 'none' },
      failureAlert: { after: 2, cooldownMs: 60 * MIN, to: '#ops', channel: 'irc' },
    });
    const runOnce = async (): Promise<void> => {
      kit.service.run(job.id);
      await kit.clock.advance(1);
    };
    await runOnce();
    expect(kit.alerts).toHaveLength(0);
    await runOnce();
    expect(kit.alerts).toEqual([{ text: 'Cron job "flaky" failed 2 times\nLast error: provider said 500', target: { mode: 'announce', to: '#ops', channel: 'irc' } }]);
    await runOnce();
    expect(kit.alerts).toHaveLength(1);
    await kit.clock.advance(61 * MIN);
    await runOnce();
    expect(kit.alerts).toHaveLength(2);
    fail = false;
    await runOnce();
    expect(kit.service.get(job.id)!.state.consecutiveErrors).toBe(0);
    expect(kit.service.get(job.id)!.state.lastFailureAlertAtMs).toBeUndefined();
  });
});

// Cron against a real gateway process (the CLI child) and the fake OpenAI server, in real time with
// second-level schedules: add, fire, runs, update, remove; restarts in the middle of a run and
// across missed slots; kill -9 while jobs.json is being written.
import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { makeStateDir, startCli, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, callOk, openReady, type RawSocket } from '../helpers/raw-socket.js';

let upstream: FakeOpenAiServer;
const dirs: string[] = [];

beforeAll(async () => {
  upstream = await startFakeOpenAi();
});
afterAll(async () => {
  await upstream?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const config = (cron: Record<string, unknown> = {}) => ({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl), cron });

async function start(stateDir: string, cronConfig?: Record<string, unknown>): Promise<{ gw: RunningGateway; socket: RawSocket }> {
  if (cronConfig) writeFileSync(join(stateDir, 'openclaw.json'), JSON.stringify(config(cronConfig)));
  const gw = await startCli(null, stateDir);
  const { socket } = await openReady(gw.url, gw.token);
  return { gw, socket };
}

/** Ends the child (SIGTERM: a clean stop; SIGKILL: a crash) and keeps its state dir. */
async function halt(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

function freshDir(cron: Record<string, unknown> = {}): string {
  const dir = makeStateDir(config(cron));
  dirs.push(dir);
  return dir;
}

type Entry = { status: string; trigger?: string; scheduledAtMs?: number; summary?: string; sessionKey?: string; interrupted?: boolean; runId?: string };
const runsOf = async (socket: RawSocket, params: Record<string, unknown>): Promise<Entry[]> => (await callOk(socket, 'cron.runs', { limit: 200, sortDir: 'asc', ...params })).entries;

describe('cron on a real gateway process', { timeout: 90_000 }, () => {
  it('adds a job, fires it every second, lists its runs, updates, disables and removes it', async () => {
    const { gw, socket } = await start(freshDir());
    try {
      const job = await callOk(socket, 'cron.add', {
        name: 'ticker',
        schedule: { kind: 'cron', expr: '* * * * * *' },
        payload: { kind: 'agentTurn', message: 'hello' },
        delivery: { mode: 'none' },
      });
      expect(job.schedule.tz).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
      await expect.poll(async () => (await runsOf(socket, { id: job.id })).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
      const [first] = await runsOf(socket, { id: job.id });
      expect(first).toMatchObject({ status: 'ok', trigger: 'schedule', summary: `echo: [cron:${job.id} ticker] hello` });
      expect(first!.sessionKey).toMatch(new RegExp(`^agent:main:cron:${job.id}:run:`));
      const history = await callOk(socket, 'chat.history', { sessionKey: first!.sessionKey });
      expect(history.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
      await socket.waitFor((f) => f.event === 'cron' && f.payload.jobId === job.id && f.payload.action === 'finished', 10_000);
      const listed = await callOk(socket, 'cron.list', {});
      expect(listed.jobs[0]).toMatchObject({ id: job.id, state: { lastStatus: 'ok' } });

      await callOk(socket, 'cron.update', { id: job.id, patch: { payload: { kind: 'agentTurn', message: 'bye' } } });
      await expect.poll(async () => (await runsOf(socket, { id: job.id })).some((e) => e.summary?.endsWith('] bye')), { timeout: 20_000 }).toBe(true);

      await callOk(socket, 'cron.update', { jobId: job.id, patch: { enabled: false } });
      await expect.poll(async () => (await callOk(socket, 'cron.status', {})).running, { timeout: 10_000 }).toBe(0);
      const settled = (await runsOf(socket, { id: job.id })).length;
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect((await runsOf(socket, { id: job.id })).length).toBe(settled);

      expect(await callOk(socket, 'cron.remove', { id: job.id })).toEqual({ ok: true, removed: true });
      expect(await callOk(socket, 'cron.remove', { id: job.id })).toEqual({ ok: true, removed: false });
      expect((await callOk(socket, 'cron.list', { includeDisabled: true })).total).toBe(0);
      const gone = await call(socket, 'cron.runs', { id: job.id });
      expect(gone.error).toMatchObject({ code: 'NOT_FOUND', details: { code: 'JOB_NOT_FOUND' } });
      expect(JSON.parse(readFileSync(join(gw.stateDir, 'cron', 'jobs.json'), 'utf8')).jobs).toEqual([]);
    } finally {
      socket.close();
      await halt(gw.child!);
    }
  });

  it('gives a systemEvent to the main session as upstream System: lines', async () => {
    const { gw, socket } = await start(freshDir());
    try {
      const job = await callOk(socket, 'cron.add', {
        name: 'reminder',
        deleteAfterRun: false,
        schedule: { kind: 'at', at: new Date(Date.now() + 1000).toISOString() },
        payload: { kind: 'systemEvent', text: 'Stand up and stretch' },
      });
      expect(job).toMatchObject({ sessionTarget: 'main', wakeMode: 'now' });
      await expect.poll(async () => (await runsOf(socket, { id: job.id }))[0]?.status, { timeout: 20_000 }).toBe('ok');
      const history = await callOk(socket, 'chat.history', { sessionKey: 'main' });
      const user = history.messages.find((m: { role: string }) => m.role === 'user');
      expect(user.content[0].text).toMatch(/^System: \[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} .+\] Stand up and stretch$/);
      expect((await callOk(socket, 'cron.list', { includeDisabled: true })).jobs[0]).toMatchObject({ enabled: false, state: { lastStatus: 'ok' } });
    } finally {
      socket.close();
      await halt(gw.child!);
    }
  });

  it('records a run that was in progress at a stop as interrupted and runs it again after the restart', async () => {
    const dir = freshDir();
    let { gw, socket } = await start(dir);
    try {
      upstream.enqueue({ text: 'a very slow answer that takes its time', chunkDelayMs: 1500 });
      const job = await callOk(socket, 'cron.add', {
        name: 'slow',
        schedule: { kind: 'every', everyMs: 3_600_000, anchorMs: Date.now() + 1000 },
        payload: { kind: 'agentTurn', message: 'take your time' },
        delivery: { mode: 'none' },
      });
      await expect.poll(async () => (await callOk(socket, 'cron.status', {})).running, { timeout: 20_000 }).toBe(1);
      socket.close();
      await halt(gw.child!);
      ({ gw, socket } = await start(dir));
      await expect.poll(async () => (await runsOf(socket, { id: job.id })).map((e) => [e.status, e.interrupted ?? false, e.trigger ?? null]), { timeout: 20_000 }).toEqual([
        ['error', true, null],
        ['ok', false, 'restart'],
      ]);
      const entries = await runsOf(socket, { id: job.id });
      expect(entries[0]!.scheduledAtMs).toBe(job.state.nextRunAtMs);
      expect(entries[1]!.scheduledAtMs).toBe(job.state.nextRunAtMs);
      const after = (await callOk(socket, 'cron.list', {})).jobs[0];
      expect(after.state.nextRunAtMs).toBe(job.state.nextRunAtMs + 3_600_000);
    } finally {
      socket.close();
      await halt(gw.child!);
    }
  });

  it('catches up a slot missed while the gateway was down once (catchUp once) or logs the skip (catchUp skip)', async () => {
    const dir = freshDir({ maxConcurrentRuns: 2 });
    let { gw, socket } = await start(dir);
    try {
      const anchorMs = Date.now() + 1000;
      const add = (name: string, catchUp: string) =>
        callOk(socket, 'cron.add', { name, catchUp, schedule: { kind: 'every', everyMs: 2000, anchorMs }, payload: { kind: 'agentTurn', message: name }, delivery: { mode: 'none' } });
      const once = await add('once', 'once');
      const skip = await add('skip', 'skip');
      await expect.poll(async () => (await runsOf(socket, { id: once.id })).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
      await expect.poll(async () => (await runsOf(socket, { id: skip.id })).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
      socket.close();
      await halt(gw.child!);
      const before = (JSON.parse(readFileSync(join(dir, 'cron', 'jobs.json'), 'utf8')).jobs as { id: string; state: { lastScheduledAtMs: number } }[]).find((j) => j.id === once.id)!;
      await new Promise((resolve) => setTimeout(resolve, 5000));
      ({ gw, socket } = await start(dir));
      await expect.poll(async () => (await runsOf(socket, { id: once.id })).some((e) => e.trigger === 'catch-up'), { timeout: 20_000 }).toBe(true);
      await expect.poll(async () => (await runsOf(socket, { id: skip.id })).some((e) => e.status === 'skipped'), { timeout: 20_000 }).toBe(true);
      const onceRuns = await runsOf(socket, { id: once.id });
      const slots = onceRuns.map((e) => e.scheduledAtMs!);
      expect(new Set(slots).size).toBe(slots.length);
      expect([...slots].sort((a, b) => a - b)).toEqual(slots);
      const catchUp = onceRuns.find((e) => e.trigger === 'catch-up')!;
      // One run for all the slots that passed: the newest missed one, at least two slots after the last run before the stop.
      expect(catchUp.scheduledAtMs! - before.state.lastScheduledAtMs).toBeGreaterThanOrEqual(4000);
      expect(onceRuns.filter((e) => e.trigger === 'catch-up')).toHaveLength(1);
      const skipRuns = await runsOf(socket, { id: skip.id });
      expect(skipRuns.some((e) => e.trigger === 'catch-up' && e.status !== 'skipped')).toBe(false);
    } finally {
      socket.close();
      await halt(gw.child!);
    }
  });

  it('survives kill -9 while jobs.json is being written: the file is whole and every acknowledged change is in it', async () => {
    const dir = freshDir();
    const seeded = Array.from({ length: 1500 }, (_, i) => ({
      id: `seed-${i}`,
      name: `seed ${i}`,
      enabled: false,
      createdAtMs: Date.now(),
      updatedAtMs: Date.now(),
      schedule: { kind: 'every', everyMs: 60_000 },
      sessionTarget: 'isolated',
      wakeMode: 'now',
      payload: { kind: 'agentTurn', message: `padding ${'x'.repeat(200)}` },
      state: {},
    }));
    mkdirSync(join(dir, 'cron'), { recursive: true });
    writeFileSync(join(dir, 'cron', 'jobs.json'), JSON.stringify({ version: 1, jobs: seeded }));
    const acknowledged = new Map<string, string>();
    for (let round = 0; round < 3; round++) {
      const { gw, socket } = await start(dir);
      let stop = false;
      const writer = (async () => {
        for (let i = 0; !stop; i++) {
          const id = `seed-${(round * 500 + i) % 1500}`;
          const name = `round ${round} write ${i}`;
          const res = await call(socket, 'cron.update', { id, patch: { name } }, 2000).catch(() => undefined);
          if (res?.ok) acknowledged.set(id, name);
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 400 + round * 300));
      await halt(gw.child!, 'SIGKILL');
      stop = true;
      socket.close();
      await writer;
      const file = JSON.parse(readFileSync(join(dir, 'cron', 'jobs.json'), 'utf8'));
      expect(file.jobs).toHaveLength(1500);
      const names = new Map<string, string>(file.jobs.map((j: { id: string; name: string }) => [j.id, j.name]));
      for (const [id, name] of acknowledged) {
        // Acknowledged means on disk; a later, unacknowledged write of the same job may have landed too.
        const stored = names.get(id)!;
        expect(stored === name || stored.localeCompare(name, undefined, { numeric: true }) > 0).toBe(true);
      }
    }
    expect(acknowledged.size).toBeGreaterThan(0);
    const { gw, socket } = await start(dir);
    try {
      const status = await callOk(socket, 'cron.status', {});
      expect(status).toMatchObject({ enabled: true, jobs: 1500 });
      expect(status.storeError).toBeUndefined();
    } finally {
      socket.close();
      await halt(gw.child!);
    }
  });
});

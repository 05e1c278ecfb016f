// The usage ledger on disk: monthly JSONL files that survive restarts (clean and kill -9), a torn
// last line, and bad files; in memory, totals per quarter-hour slot rather than raw records.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthFileName } from '../../server/usage/usage-files.js';
import { UsageLedger } from '../../server/usage/usage-ledger.js';
import type { UsageRecord } from '../../server/usage/usage-record.js';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { makeStateDir, startCli, startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady, type RawSocket } from '../helpers/raw-socket.js';
import { chatTurn, uniqueKey } from '../chat/chat-kit.js';

const PRICE = { input: 3, output: 15 };
const monthFile = (ts = Date.now()): string => monthFileName('usage.jsonl', ts);
const record = (over: Partial<UsageRecord> = {}): UsageRecord => ({
  ts: Date.parse('2024-03-10T12:00:00Z'),
  runId: uniqueKey('r'),
  agentId: 'main',
  sessionKey: 'agent:main:seeded',
  provider: 'fake',
  model: 'fake-model',
  input: 100,
  output: 10,
  cacheRead: 0,
  cacheWrite: 0,
  ...over,
});
const line = (r: UsageRecord): string => `${JSON.stringify(r)}\n`;

let upstream: FakeOpenAiServer;
beforeAll(async () => {
  upstream = await startFakeOpenAi();
});
afterAll(() => upstream?.close());

const config = () => ({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl, { cost: PRICE }) });

async function withGateway<T>(stateDir: string, body: (ws: RawSocket, gw: RunningGateway) => Promise<T>): Promise<T> {
  const gw = await startInProcess(config(), stateDir);
  const { socket } = await openReady(gw.url, gw.token);
  try {
    return await body(socket, gw);
  } finally {
    socket.close();
    // gw.stop() would delete the state dir; stop the gateway only.
    await gw.gateway!.stop();
  }
}

const todayCost = async (ws: RawSocket) => (await call(ws, 'usage.cost', { days: 2, mode: 'utc' })).payload;

describe('across restarts', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('a clean restart keeps every run, per session, model and day, in this month’s file', async () => {
    const stateDir = makeStateDir(config());
    dirs.push(stateDir);
    const session = `agent:main:${uniqueKey('persist')}`;
    const before = await withGateway(stateDir, async (ws) => {
      upstream.enqueue(
        { text: 'one', usage: { prompt_tokens: 1200, completion_tokens: 500, cached_tokens: 200 } },
        { text: 'two', usage: { prompt_tokens: 2000, completion_tokens: 100 } },
      );
      await chatTurn(ws, session, 'first');
      await chatTurn(ws, session, 'second');
      return todayCost(ws);
    });
    expect(before.totals).toMatchObject({ input: 3000, output: 600, cacheRead: 200, totalTokens: 3800 });
    const lines = readFileSync(join(stateDir, 'usage', monthFile()), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ sessionKey: session, provider: 'fake', model: 'fake-model', input: 1000, output: 500, cacheRead: 200 }),
      expect.objectContaining({ sessionKey: session, input: 2000, output: 100 }),
    ]);

    const after = await withGateway(stateDir, async (ws) => ({ cost: await todayCost(ws), status: (await call(ws, 'usage.status', {})).payload }));
    expect(after.cost.totals).toEqual(before.totals);
    expect(after.cost.daily).toEqual(before.daily);
    expect(after.cost.bySession).toEqual([expect.objectContaining({ sessionKey: session, agentId: 'main', totalTokens: 3800 })]);
    expect(after.cost.byModel).toEqual([expect.objectContaining({ provider: 'fake', model: 'fake-model', totalTokens: 3800 })]);
    expect(after.cost.totals.totalCost).toBeCloseTo((3000 * 3 + 600 * 15) / 1e6, 10);
    expect(after.status.totals.totalTokens).toBe(3800);
  });

  it('kill -9 of the CLI gateway right after a run loses no recorded usage', async () => {
    const stateDir = makeStateDir(config());
    dirs.push(stateDir);
    const cli = await startCli(config(), stateDir);
    const { socket } = await openReady(cli.url, cli.token);
    upstream.enqueue({ text: 'killed soon', usage: { prompt_tokens: 70, completion_tokens: 7 } });
    const turn = await chatTurn(socket, `agent:main:${uniqueKey('kill')}`, 'hi');
    expect(turn.terminal.payload.state).toBe('final');
    socket.close();
    const exited = new Promise((resolve) => cli.child!.once('exit', resolve));
    cli.child!.kill('SIGKILL');
    await exited;
    const cost = await withGateway(stateDir, (ws) => todayCost(ws));
    expect(cost.totals).toMatchObject({ input: 70, output: 7, totalTokens: 77 });
  });

  it('a torn last line is skipped and cut off, so the next run starts a clean line', async () => {
    const stateDir = makeStateDir(config());
    dirs.push(stateDir);
    const now = Date.now();
    const file = join(stateDir, 'usage', monthFile(now));
    mkdirSync(join(stateDir, 'usage'), { recursive: true });
    const seeded = [record({ ts: now - 1000, input: 11 }), record({ ts: now - 500, input: 22 })];
    writeFileSync(file, `${seeded.map(line).join('')}{"ts":${now},"runId":"torn","agentId":"ma`);

    const first = await withGateway(stateDir, async (ws) => {
      const loaded = await todayCost(ws);
      upstream.enqueue({ text: 'after the tear', usage: { prompt_tokens: 33, completion_tokens: 0 } });
      await chatTurn(ws, `agent:main:${uniqueKey('torn')}`, 'hi');
      return loaded;
    });
    expect(first.totals).toMatchObject({ input: 33, output: 20 });
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    const parsed = lines.slice(0, -1).map((l) => JSON.parse(l) as UsageRecord);
    expect(parsed.map((r) => r.input)).toEqual([11, 22, 33]);
    const second = await withGateway(stateDir, (ws) => todayCost(ws));
    expect(second.totals).toMatchObject({ input: 66, output: 20 });
  });

  it('a last line that is whole but lacks its newline is kept, and the next record goes on a new line', async () => {
    const stateDir = makeStateDir(config());
    dirs.push(stateDir);
    const now = Date.now();
    const file = join(stateDir, 'usage', monthFile(now));
    mkdirSync(join(stateDir, 'usage'), { recursive: true });
    writeFileSync(file, JSON.stringify(record({ ts: now - 1000, input: 5, output: 1 })));
    await withGateway(stateDir, async (ws) => {
      expect((await todayCost(ws)).totals).toMatchObject({ input: 5, output: 1 });
      upstream.enqueue({ text: 'x', usage: { prompt_tokens: 6, completion_tokens: 1 } });
      await chatTurn(ws, `agent:main:${uniqueKey('nl')}`, 'hi');
    });
    const parsed = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as UsageRecord);
    expect(parsed.map((r) => r.input)).toEqual([5, 6]);
  });

  it('bad files and lines do not stop the gateway: good records load, bad ones are skipped', async () => {
    const stateDir = makeStateDir(config());
    dirs.push(stateDir);
    const usageDir = join(stateDir, 'usage');
    mkdirSync(usageDir, { recursive: true });
    const good = record({ input: 1000, output: 100, cost: { input: 0.003, output: 0.0015, cacheRead: 0, cacheWrite: 0, total: 0.0045 } });
    writeFileSync(
      join(usageDir, 'usage-2024-03.jsonl'),
      [
        line(good),
        'not json at all\n',
        Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x0a]).toString('latin1'),
        line({ ...record(), input: -5 } as UsageRecord),
        line({ ...record(), input: 'many' } as unknown as UsageRecord),
        line({ ...record(), ts: 1e300 } as UsageRecord),
        line({ ...record(), cost: { total: 'free' } } as unknown as UsageRecord),
        '[1,2,3]\nnull\n"text"\n',
        `{"pad":"${'x'.repeat(200_000)}"}\n`,
        line(record({ input: 1, output: 1, sessionKey: 'agent:main:second' })),
      ].join(''),
    );
    // A legacy single-file ledger from an earlier version is history too.
    writeFileSync(join(usageDir, 'usage.jsonl'), line(record({ ts: Date.parse('2024-03-11T08:00:00Z'), input: 7, output: 0 })));
    // A directory where a month file should be.
    mkdirSync(join(usageDir, 'usage-2024-02.jsonl'));
    const result = await withGateway(stateDir, async (ws) => ({
      cost: (await call(ws, 'usage.cost', { startDate: '2024-03-01', endDate: '2024-03-31', mode: 'utc' })).payload,
      status: await call(ws, 'usage.status', {}),
    }));
    expect(result.status.ok).toBe(true);
    expect(result.cost.totals).toMatchObject({ input: 1008, output: 101, missingCostEntries: 2 });
    expect(result.cost.totals.totalCost).toBeCloseTo(0.0045, 10);
    expect(result.cost.daily.find((d: { date: string }) => d.date === '2024-03-11')).toMatchObject({ input: 7 });
    expect(result.cost.bySession.map((s: { sessionKey: string }) => s.sessionKey).sort()).toEqual(['agent:main:second', 'agent:main:seeded']);
  });

  it('a usage path that is a file: the gateway starts, runs work, and the write failure is only logged', async () => {
    const stateDir = makeStateDir(config());
    dirs.push(stateDir);
    writeFileSync(join(stateDir, 'usage'), 'not a directory');
    await withGateway(stateDir, async (ws) => {
      upstream.enqueue({ text: 'still fine' });
      const turn = await chatTurn(ws, `agent:main:${uniqueKey('nodir')}`, 'hi');
      expect(turn.terminal.payload.state).toBe('final');
      // Counted in memory for this process even though it could not be written.
      expect((await todayCost(ws)).totals.totalTokens).toBeGreaterThan(0);
    });
  });
});

describe('UsageLedger', () => {
  const logs: { level: string; msg: string }[] = [];
  const logger = { warn: (msg: string) => logs.push({ level: 'warn', msg }), error: (msg: string) => logs.push({ level: 'error', msg }) };
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'openclaw-usage-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds one total per quarter-hour, session and model, not one per run', async () => {
    const path = join(dir, 'a', 'usage.jsonl');
    const ledger = new UsageLedger(path, logger);
    const start = Date.parse('2024-05-01T10:00:00Z');
    for (let i = 0; i < 500; i++) ledger.record(record({ ts: start + i * 1000, input: 1, output: 1 }));
    ledger.record(record({ ts: start + 1000, input: 1, output: 1, sessionKey: 'agent:main:other' }));
    await ledger.flush();
    // 500 s spans one slot; a second session adds one more.
    expect(ledger.size).toBe(2);
    expect(ledger.totals().totalTokens).toBe(1002);
    const reloaded = new UsageLedger(path, logger);
    expect(reloaded.size).toBe(2);
    expect(reloaded.totals()).toEqual(ledger.totals());
  });

  it('sessions of OpenAI requests that named none count under one key per agent and kind', async () => {
    const path = join(dir, 'stateless', 'usage.jsonl');
    const ledger = new UsageLedger(path, logger);
    const ts = Date.parse('2024-05-01T10:00:00Z');
    const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    for (let i = 0; i < 300; i++) ledger.record(record({ ts, input: 1, sessionKey: `agent:main:openai:${uuid(i)}` }));
    for (let i = 0; i < 300; i++) ledger.record(record({ ts, input: 1, sessionKey: `agent:main:openresponses:${uuid(i)}` }));
    await ledger.flush();
    expect(ledger.size).toBe(2);
    expect(ledger.totals().input).toBe(600);
    // The file keeps every run's own session key.
    expect(readFileSync(join(dir, 'stateless', monthFileName('usage.jsonl', ts)), 'utf8')).toContain(`agent:main:openai:${uuid(299)}`);
  });

  it('writes each month to its own file and reads them all back', async () => {
    const path = join(dir, 'b', 'usage.jsonl');
    const ledger = new UsageLedger(path, logger);
    ledger.record(record({ ts: Date.parse('2024-01-31T23:59:00Z'), input: 1 }));
    ledger.record(record({ ts: Date.parse('2024-02-01T00:01:00Z'), input: 2 }));
    ledger.record(record({ ts: Date.parse('2024-02-02T00:01:00Z'), input: 4 }));
    await ledger.flush();
    expect(readdirSync(join(dir, 'b')).sort()).toEqual(['usage-2024-01.jsonl', 'usage-2024-02.jsonl']);
    expect(existsSync(path)).toBe(false);
    const reloaded = new UsageLedger(path, logger);
    expect(reloaded.daily('2024-01-31', '2024-02-02', 0).map((d) => d.totals.input)).toEqual([1, 2, 4]);
  });

  it('reads a file larger than its read buffer, with lines split across reads', () => {
    const sub = join(dir, 'big');
    mkdirSync(sub, { recursive: true });
    const start = Date.parse('2024-07-01T00:00:00Z');
    const count = 12_000;
    let text = '';
    // Varying line lengths so line ends fall at every offset of a read chunk.
    for (let i = 0; i < count; i++) text += line(record({ ts: start + i * 60_000, runId: 'r'.repeat(i % 97), input: 1, output: 2 }));
    expect(text.length).toBeGreaterThan(2 * 1024 * 1024);
    writeFileSync(join(sub, 'usage-2024-07.jsonl'), text);
    const ledger = new UsageLedger(join(sub, 'usage.jsonl'), logger);
    expect(ledger.totals()).toMatchObject({ input: count, output: 2 * count });
    // 12 000 minutes in quarter-hour slots.
    expect(ledger.size).toBe(count / 15);
  });

  it('days follow a half-hour UTC offset exactly', () => {
    const ledger = new UsageLedger(join(dir, 'c', 'usage.jsonl'), logger);
    // 18:29 UTC is 23:59 at UTC+5:30; 18:31 UTC is 00:01 the next day there.
    ledger.record(record({ ts: Date.parse('2024-06-01T18:29:00Z'), input: 1 }));
    ledger.record(record({ ts: Date.parse('2024-06-01T18:31:00Z'), input: 2 }));
    expect(ledger.daily('2024-06-01', '2024-06-02', 330).map((d) => d.totals.input)).toEqual([1, 2]);
    expect(ledger.daily('2024-06-01', '2024-06-02', 0).map((d) => d.totals.input)).toEqual([3, 0]);
  });

  it('refuses a record with impossible numbers instead of poisoning the totals', () => {
    const ledger = new UsageLedger(join(dir, 'd', 'usage.jsonl'), logger);
    ledger.record(record({ input: Number.NaN }));
    ledger.record(record({ output: -1 }));
    expect(ledger.size).toBe(0);
    expect(logs.some((l) => l.msg.includes('not recorded'))).toBe(true);
  });
});

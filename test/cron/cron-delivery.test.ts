// Delivery and alerts on a real in-process gateway: webhook POSTs (retried, timed out) to loopback
// servers, announce through `send` (not there yet → not-delivered), announce into the main session,
// failure alerts, and the `cron` agent tool with its scope and HTTP checks.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { callOk, openReady, type RawSocket } from '../helpers/raw-socket.js';
import { CronSessionReaper, parseRetention } from '../../server/cron/cron-session-reaper.js';

interface Hook {
  readonly url: string;
  readonly requests: { headers: IncomingMessage['headers']; body: Record<string, unknown> }[];
  /** Status per request (the last one repeats); `hang` never answers. */
  statuses: (number | 'hang')[];
  close(): Promise<void>;
}

async function startHook(statuses: (number | 'hang')[] = [200]): Promise<Hook> {
  const hook = { requests: [], statuses } as unknown as Hook & { server: Server };
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      hook.requests.push({ headers: req.headers, body: JSON.parse(text) });
      const status = hook.statuses[Math.min(hook.requests.length - 1, hook.statuses.length - 1)]!;
      if (status !== 'hang') res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (hook as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  hook.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return hook;
}

let upstream: FakeOpenAiServer;
let gw: RunningGateway;
let socket: RawSocket;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  gw = await startInProcess({
    ...TEST_CONFIG,
    ...fakeProviderConfig(upstream.baseUrl),
    cron: { maxConcurrentRuns: 4, webhookToken: 'hook-secret', webhookDelivery: { timeoutMs: 400, maxAttempts: 3, backoffMs: 20 } },
  });
  socket = (await openReady(gw.url, gw.token)).socket;
});
afterAll(async () => {
  socket?.close();
  await gw?.stop();
  await upstream?.close();
});

const soon = (ms = 300) => ({ kind: 'at', at: new Date(Date.now() + ms).toISOString() });
const lastRun = async (id: string) => (await callOk(socket, 'cron.runs', { id })).entries[0];

describe('cron delivery', () => {
  it('posts the finished run to a webhook, retrying a 5xx, with the configured bearer token', async () => {
    const hook = await startHook([503, 200]);
    try {
      const job = await callOk(socket, 'cron.add', {
        name: 'hooked',
        deleteAfterRun: false,
        schedule: soon(),
        payload: { kind: 'agentTurn', message: 'report' },
        delivery: { mode: 'webhook', to: hook.url },
      });
      await expect.poll(() => lastRun(job.id), { timeout: 15_000 }).toMatchObject({ status: 'ok', delivered: true, deliveryStatus: 'delivered' });
      expect(hook.requests).toHaveLength(2);
      expect(hook.requests[1]!.headers.authorization).toBe('Bearer hook-secret');
      expect(hook.requests[1]!.body).toMatchObject({ jobId: job.id, jobName: 'hooked', action: 'finished', status: 'ok', summary: `echo: [cron:${job.id} hooked] report` });
      expect((await callOk(socket, 'cron.list', { includeDisabled: true })).jobs.find((j: { id: string }) => j.id === job.id).state).toMatchObject({ lastDeliveryStatus: 'delivered', lastDelivered: true });
      // A webhook URL may hold its secret: a read-only client sees its origin only.
      const reader = (await openReady(gw.url, gw.token, { scopes: ['operator.read'] })).socket;
      const seen = (await callOk(reader, 'cron.list', { includeDisabled: true })).jobs.find((j: { id: string }) => j.id === job.id);
      reader.close();
      expect(seen.delivery.to).toBe(`${new URL(hook.url).origin}/…`);
    } finally {
      await hook.close();
    }
  });

  it('gives up on a webhook that never answers after its attempts, and records why', async () => {
    const hook = await startHook(['hang']);
    try {
      const job = await callOk(socket, 'cron.add', { name: 'silent hook', deleteAfterRun: false, schedule: soon(), payload: { kind: 'agentTurn', message: 'x' }, delivery: { mode: 'webhook', to: hook.url } });
      await expect.poll(() => lastRun(job.id), { timeout: 15_000 }).toMatchObject({ status: 'ok', delivered: false, deliveryStatus: 'not-delivered' });
      expect((await lastRun(job.id)).deliveryError).toBe('webhook failed: no answer within 400 ms (after 3 attempt(s))');
      expect(hook.requests).toHaveLength(3);
    } finally {
      await hook.close();
    }
  });

  it('announces to a channel target through send, and records not-delivered when no channel account can take it', async () => {
    const job = await callOk(socket, 'cron.add', {
      name: 'to irc',
      deleteAfterRun: false,
      schedule: soon(),
      payload: { kind: 'agentTurn', message: 'news' },
      delivery: { mode: 'announce', channel: 'irc', to: '#ops' },
    });
    await expect.poll(() => lastRun(job.id), { timeout: 15_000 }).toMatchObject({ status: 'ok', deliveryStatus: 'not-delivered', delivered: false });
    expect((await lastRun(job.id)).deliveryError).toMatch(/^(NOT_FOUND|UNAVAILABLE) \((CHANNEL_ACCOUNT_NOT_FOUND|CHANNEL_NOT_FOUND|NOT_IMPLEMENTED)\)/);
    const stored = (await callOk(socket, 'cron.list', { includeDisabled: true })).jobs.find((j: { id: string }) => j.id === job.id);
    expect(stored.state).toMatchObject({ lastStatus: 'ok', lastDeliveryStatus: 'not-delivered' });
  });

  it('announces an isolated run without a target into the main session', async () => {
    const job = await callOk(socket, 'cron.add', { name: 'digest', deleteAfterRun: false, schedule: soon(), payload: { kind: 'agentTurn', message: 'summarise' } });
    expect(job.delivery).toEqual({ mode: 'announce' });
    await expect.poll(() => lastRun(job.id), { timeout: 15_000 }).toMatchObject({ status: 'ok', deliveryStatus: 'delivered' });
    const history = await callOk(socket, 'chat.history', { sessionKey: 'main' });
    const texts = history.messages.map((m: { content: { text?: string }[] }) => m.content.map((b) => b.text ?? '').join(''));
    expect(texts).toContain(`[cron] digest: echo: [cron:${job.id} digest] summarise`);
  });

  it('sends a failure alert to a webhook after consecutive errors', async () => {
    const hook = await startHook([200]);
    try {
      const job = await callOk(socket, 'cron.add', {
        name: 'broken model',
        schedule: { kind: 'every', everyMs: 3_600_000 },
        payload: { kind: 'agentTurn', message: 'x', model: 'nowhere/no-such-model' },
        delivery: { mode: 'none' },
        failureAlert: { after: 2, mode: 'webhook', to: hook.url },
      });
      await callOk(socket, 'cron.run', { id: job.id });
      await expect.poll(() => lastRun(job.id), { timeout: 15_000 }).toMatchObject({ status: 'error' });
      expect((await lastRun(job.id)).error).toMatch(/no-such-model/);
      expect(hook.requests).toHaveLength(0);
      await callOk(socket, 'cron.run', { id: job.id });
      await expect.poll(() => hook.requests.length, { timeout: 15_000 }).toBe(1);
      expect(hook.requests[0]!.body).toMatchObject({ jobId: job.id, kind: 'failure-alert', consecutiveErrors: 2 });
      expect(hook.requests[0]!.body.text).toMatch(/^Cron job "broken model" failed 2 times\nLast error: /);
    } finally {
      await hook.close();
    }
  });
});

describe('the cron agent tool', () => {
  it('is refused over HTTP by default', async () => {
    const res = await fetch(`${gw.httpUrl}/tools/invoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tool: 'cron', args: { action: 'status' } }),
    });
    expect(res.status).toBe(403);
  });

  it('cannot create jobs from inside a cron run (write scope), and says which scope is missing', async () => {
    upstream.enqueue(
      { toolCalls: [{ name: 'cron', arguments: { action: 'add', job: { name: 'spawned', schedule: { kind: 'every', everyMs: 1000 }, payload: { kind: 'agentTurn', message: 'again' } } } }] },
      { text: 'tried' },
    );
    const before = (await callOk(socket, 'cron.list', { includeDisabled: true })).total;
    const job = await callOk(socket, 'cron.add', { name: 'self-replicator', deleteAfterRun: false, schedule: soon(), payload: { kind: 'agentTurn', message: 'make a job' } });
    // Its announce into the main session needs admin; the turn's tools still must not get it.
    expect(job.delivery).toEqual({ mode: 'announce' });
    await expect.poll(() => lastRun(job.id), { timeout: 15_000 }).toMatchObject({ status: 'ok', summary: 'tried' });
    expect((await callOk(socket, 'cron.list', { includeDisabled: true })).total).toBe(before + 1);
    const history = await callOk(socket, 'chat.history', { sessionKey: (await lastRun(job.id)).sessionKey });
    const result = history.messages.find((m: { role: string }) => m.role === 'toolResult');
    expect(JSON.stringify(result.content)).toMatch(/operator\.admin/);
  });

  it('adds a job for the agent and session it runs in when the run may administer', async () => {
    upstream.enqueue(
      { toolCalls: [{ name: 'cron', arguments: { action: 'add', job: { name: 'follow-up', sessionTarget: 'current', schedule: { kind: 'every', everyMs: 3_600_000 }, payload: { kind: 'agentTurn', message: 'check back' } } } }] },
      { text: 'scheduled' },
    );
    const res = await callOk(socket, 'chat.send', { sessionKey: 'agent:main:planner', message: 'remind me hourly', idempotencyKey: 'cron-tool-admin-1' });
    await socket.waitFor((f) => f.event === 'chat' && f.payload.runId === res.runId && f.payload.state === 'final', 15_000);
    const created = (await callOk(socket, 'cron.list', { query: 'follow-up' })).jobs[0];
    expect(created).toMatchObject({ agentId: 'main', sessionKey: 'agent:main:planner', sessionTarget: 'session:agent:main:planner' });
  });
});

describe('isolated run sessions', () => {
  it('reads cron.sessionRetention as upstream does', () => {
    expect([parseRetention(undefined), parseRetention('7d'), parseRetention('1h30m'), parseRetention('2'), parseRetention(false), parseRetention('soon')]).toEqual([
      86_400_000, 604_800_000, 5_400_000, 7_200_000, false, undefined,
    ]);
  });

  it('deletes a job\'s run sessions older than the retention, through sessions.delete, and nothing else', async () => {
    const old = 'agent:main:cron:job-r:run:1';
    const fresh = 'agent:main:cron:job-r:run:2';
    const other = 'agent:main:notes';
    for (const key of [old, fresh, other]) await callOk(socket, 'sessions.spawn', { key });
    const now = Date.now();
    const errors: Error[] = [];
    const reaper = new CronSessionReaper({ createCaller: (p) => gw.gateway!.createCaller(p), retentionMs: () => 3_600_000, now: () => now, onError: (e) => errors.push(e) });
    const entry = (sessionKey: string, ts: number) => ({ ts, jobId: 'job-r', action: 'finished' as const, status: 'ok' as const, sessionKey });
    reaper.sweep('job-r', () => [entry(old, now - 7_200_000), entry(fresh, now - 60_000), entry(other, now - 7_200_000)]);
    const keys = async () => (await callOk(socket, 'sessions.list', {})).sessions.map((s: { key: string }) => s.key);
    await expect.poll(keys, { timeout: 10_000 }).not.toContain(old);
    expect(await keys()).toEqual(expect.arrayContaining([fresh, other]));
    expect(errors).toEqual([]);
  });
});

// The approval round trip over WebSocket: the fake model asks for exec on one client's run, the
// approver on a second client decides (allow-once, allow-always, deny), the run resumes; with no
// approver connected askFallback applies at once; upstream's per-command request / get /
// waitDecision with two-phase answers; every decision in the decision log.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatSend, collectRun, uniqueKey } from '../chat/chat-kit.js';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, type RawSocket } from '../helpers/raw-socket.js';
import { askForExec, decisionLog, nextRequested, openAdmin, openApprover, openRunner, toolResultSent } from './exec-approval-kit.js';

let upstream: FakeOpenAiServer;
let gw: RunningGateway;
let workspace: string;
let runner: RawSocket;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  gw = await startInProcess({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl) });
  workspace = gw.gateway!.services.agents.agents.workspaceOf('main');
  runner = await openRunner(gw.url, gw.token);
});
afterAll(async () => {
  runner?.close();
  await gw?.stop();
  await upstream?.close();
});

const session = () => `agent:main:${uniqueKey('exec')}`;
const waitGone = (socket: RawSocket) => expect.poll(() => gw.gateway!.runtime.hub.size, { timeout: 5_000 }).toBe(1).then(() => socket);

describe('exec approvals with an approver connected', () => {
  let approver: RawSocket;
  beforeAll(async () => {
    approver = await openApprover(gw.url, gw.token);
  });
  afterAll(() => approver?.close());

  it('allow-once: the run waits, the approver decides by id prefix, the command runs once', async () => {
    const requestsBefore = upstream.requests.length;
    askForExec(upstream, 'touch made-once.txt && echo made');
    const runId = (await chatSend(runner, session(), 'make a file')).payload.runId as string;
    const requested = await nextRequested(approver, 'touch made-once.txt && echo made');
    expect(requested.request).toMatchObject({ host: 'gateway', agentId: 'main', security: 'allowlist', ask: 'on-miss', allowedDecisions: ['allow-once', 'allow-always', 'deny'], runId });
    expect(requested.request.reasons.join('\n')).toMatch(/touch/);
    const waiting = await runner.waitFor((f) => f.event === 'agent' && f.payload.runId === runId && f.payload.data.phase === 'update');
    expect(waiting.payload.data.partialResult).toMatchObject({ status: 'awaiting_decision', askId: requested.id });
    expect(existsSync(join(workspace, 'made-once.txt'))).toBe(false);
    expect((await call(approver, 'exec.approvals.list', {})).payload.map((e: any) => e.id)).toContain(requested.id);
    expect((await call(approver, 'exec.approvals.resolve', { id: requested.id.slice(0, 8), decision: 'allow-once' })).ok).toBe(true);
    const resolved = await approver.waitFor((f) => f.event === 'exec.approval.resolved' && f.payload.id === requested.id);
    expect(resolved.payload).toMatchObject({ decision: 'allow-once', resolvedBy: 'approver-b' });
    const run = await collectRun(runner, runId);
    expect(run.terminal.payload.state).toBe('final');
    expect(existsSync(join(workspace, 'made-once.txt'))).toBe(true);
    expect(toolResultSent(upstream, requestsBefore + 2)).toMatch(/"exitCode":0.*made/);
    const logged = decisionLog(gw.stateDir).filter((e) => e.id === requested.id);
    expect(logged.map((e) => e.event)).toEqual(['requested', 'allowed']);
    expect(logged[1]).toMatchObject({ decision: 'allow-once', by: 'approver-b', command: 'touch made-once.txt && echo made' });
    // decided requests are remembered, not "unknown"
    expect((await call(approver, 'exec.approval.get', { id: requested.id })).payload).toMatchObject({ status: 'allowed', decision: 'allow-once', resolvedBy: 'approver-b' });
    const again = await call(approver, 'exec.approvals.resolve', { id: requested.id, decision: 'deny' });
    expect(again.error).toMatchObject({ code: 'INVALID_REQUEST', details: { code: 'APPROVAL_NOT_FOUND', reason: 'APPROVAL_NOT_FOUND' } });
    expect(again.error!.message).toMatch(/already decided/);
  });

  it('allow-always adds the rule: the next such command runs without asking', async () => {
    askForExec(upstream, 'touch always-1.txt');
    const runId = (await chatSend(runner, session(), 'make another')).payload.runId as string;
    const requested = await nextRequested(approver, 'touch always-1.txt');
    expect((await call(approver, 'exec.approval.resolve', { id: requested.id, decision: 'allow-always' })).ok).toBe(true);
    expect((await collectRun(runner, runId)).terminal.payload.state).toBe('final');
    const file = JSON.parse(readFileSync(join(gw.stateDir, 'exec-approvals.json'), 'utf8'));
    expect(file.agents.main.allowlist).toEqual([expect.objectContaining({ pattern: expect.stringMatching(/\/touch$/), lastUsedCommand: 'touch always-1.txt' })]);
    askForExec(upstream, 'touch always-2.txt');
    const second = (await chatSend(runner, session(), 'and one more')).payload.runId as string;
    expect((await collectRun(runner, second)).terminal.payload.state).toBe('final');
    expect(existsSync(join(workspace, 'always-2.txt'))).toBe(true);
    expect(approver.frames.some((f) => f.event === 'exec.approval.requested' && f.payload.request.command === 'touch always-2.txt')).toBe(false);
  });

  it('allow-always is refused where a rule would allow anything', async () => {
    askForExec(upstream, "bash -c 'mkdir via-shell'");
    const runId = (await chatSend(runner, session(), 'through a shell')).payload.runId as string;
    const requested = await nextRequested(approver, "bash -c 'mkdir via-shell'");
    expect(requested.request.allowedDecisions).toEqual(['allow-once', 'deny']);
    const refused = await call(approver, 'exec.approvals.resolve', { id: requested.id, decision: 'allow-always' });
    expect(refused.error).toMatchObject({ code: 'INVALID_REQUEST', details: { code: 'APPROVAL_ALLOW_ALWAYS_UNAVAILABLE' } });
    expect((await call(approver, 'exec.approvals.resolve', { id: requested.id, decision: 'deny' })).ok).toBe(true);
    const run = await collectRun(runner, runId);
    const result = run.agent.find((f) => f.payload.stream === 'tool' && f.payload.data.phase === 'result');
    expect(result?.payload.data.isError).toBe(true);
    expect(existsSync(join(workspace, 'via-shell'))).toBe(false);
    expect(toolResultSent(upstream, upstream.requests.length)).toMatch(/denied by approver-b/);
  });

  it('aborting the run while it waits expires the request', async () => {
    // only the tool call: the aborted run never asks the model again
    upstream.enqueue({ toolCalls: [{ name: 'exec', arguments: { command: 'mkdir never-dir' } }] });
    const key = session();
    const runId = (await chatSend(runner, key, 'wait for it')).payload.runId as string;
    const requested = await nextRequested(approver, 'mkdir never-dir');
    expect((await call(runner, 'chat.abort', { sessionKey: key, runId })).payload.aborted).toBe(true);
    await collectRun(runner, runId);
    await expect.poll(async () => (await call(approver, 'exec.approval.get', { id: requested.id })).payload.status).toBe('expired');
    expect((await call(approver, 'exec.approval.get', { id: requested.id })).payload.expiredReason).toBe('run-aborted');
    const late = await call(approver, 'exec.approvals.resolve', { id: requested.id, decision: 'allow-once' });
    expect(late.error!.message).toMatch(/expired: the run was aborted/);
    expect(existsSync(join(workspace, 'never-dir'))).toBe(false);
  });

  it('exec.approval.request answers twice with twoPhase; get and waitDecision follow it', async () => {
    const requester = await openApprover(gw.url, gw.token, 'node-host');
    requester.send({ type: 'req', id: 'tp-1', method: 'exec.approval.request', params: { command: 'systemctl restart web', host: 'gateway', agentId: 'main', twoPhase: true, timeoutMs: 60_000 } });
    const accepted = await requester.waitFor((f) => f.type === 'res' && f.id === 'tp-1');
    expect(accepted.payload).toMatchObject({ status: 'accepted', id: expect.any(String) });
    const id = accepted.payload.id as string;
    expect((await call(approver, 'exec.approval.get', { id })).payload).toMatchObject({ id, commandText: 'systemctl restart web', status: 'pending', decision: null });
    const waiter = call(approver, 'exec.approval.waitDecision', { id }, 15_000);
    expect((await call(approver, 'exec.approval.resolve', { id, decision: 'deny' })).ok).toBe(true);
    const final = await requester.waitFor((f) => f.type === 'res' && f.id === 'tp-1');
    expect(final.payload).toMatchObject({ id, decision: 'deny' });
    expect((await waiter).payload).toMatchObject({ id, decision: 'deny' });
    const unknown = await call(approver, 'exec.approval.get', { id: 'no-such-approval' });
    expect(unknown.error).toMatchObject({ code: 'INVALID_REQUEST', details: { code: 'APPROVAL_NOT_FOUND' } });
    const reserved = await call(requester, 'exec.approval.request', { id: 'plugin:x', command: 'ls' });
    expect(reserved.error).toMatchObject({ details: { code: 'INVALID_PARAMS' } });
    requester.close();
  });

  it('approval events and methods need operator.approvals', async () => {
    expect(runner.frames.some((f) => f.event === 'exec.approval.requested')).toBe(false);
    const denied = await call(runner, 'exec.approvals.list', {});
    expect(denied.error).toMatchObject({ details: { code: 'MISSING_SCOPE' } });
  });
});

describe('exec approvals with no approver connected', () => {
  it('askFallback deny refuses at once instead of waiting; the fallback is logged', async () => {
    await expect.poll(() => gw.gateway!.runtime.hub.size, { timeout: 5_000 }).toBe(1); // only the runner
    askForExec(upstream, 'mkdir lonely');
    const runId = (await chatSend(runner, session(), 'nobody is watching')).payload.runId as string;
    const run = await collectRun(runner, runId);
    expect(run.terminal.payload.state).toBe('final');
    expect(toolResultSent(upstream, upstream.requests.length)).toMatch(/no approver is connected; askFallback \\"deny\\" denies it/);
    expect(existsSync(join(workspace, 'lonely'))).toBe(false);
    expect(decisionLog(gw.stateDir).at(-1)).toMatchObject({ event: 'fallback', decision: 'deny', command: 'mkdir lonely', by: 'policy' });
  });

  it('a requester alone gets decision null at once', async () => {
    const requester = await openApprover(gw.url, gw.token, 'lonely-node');
    const res = await call(requester, 'exec.approval.request', { command: 'reboot', twoPhase: true });
    expect(res.payload).toMatchObject({ decision: null });
    expect((await call(requester, 'exec.approval.get', { id: res.payload.id })).payload).toMatchObject({ status: 'expired', expiredReason: 'no-approver' });
    requester.close();
    await waitGone(requester);
  });

  it('the standing rules are read and changed with the base-hash rule; askFallback full then allows', async () => {
    const admin = await openAdmin(gw.url, gw.token);
    const view = (await call(admin, 'exec.approvals.overrides', {})).payload;
    expect(view).toMatchObject({ exists: true, defaults: { security: 'allowlist', ask: 'on-miss', askFallback: 'deny' } });
    expect(view.overrides).toEqual([expect.objectContaining({ decision: 'allow', agentId: 'main', pattern: expect.stringMatching(/touch$/) })]);
    const noHash = await call(admin, 'exec.approvals.set', { file: { version: 1 } });
    expect(noHash.error).toMatchObject({ details: { code: 'BASE_HASH_REQUIRED' } });
    const stale = await call(admin, 'exec.approvals.set', { file: { version: 1 }, baseHash: '0'.repeat(64) });
    expect(stale.error).toMatchObject({ details: { code: 'BASE_HASH_MISMATCH' } });
    const set = await call(admin, 'exec.approvals.set', { file: { version: 1, defaults: { askFallback: 'full' } }, baseHash: view.hash });
    expect(set.payload).toMatchObject({ overrides: [], defaults: { askFallback: 'full' } });
    const rule = await call(admin, 'exec.approvals.overrides.set', { pattern: '**/shred', decision: 'deny' });
    expect(rule.payload.overrides).toEqual([{ pattern: '**/shred', decision: 'deny' }]);
    admin.close();
    await waitGone(admin);
    askForExec(upstream, 'touch fallback-full.txt');
    const runId = (await chatSend(runner, session(), 'fallback full')).payload.runId as string;
    expect((await collectRun(runner, runId)).terminal.payload.state).toBe('final');
    expect(existsSync(join(workspace, 'fallback-full.txt'))).toBe(true);
    askForExec(upstream, 'shred fallback-full.txt');
    const denied = (await chatSend(runner, session(), 'deny rule')).payload.runId as string;
    await collectRun(runner, denied);
    expect(toolResultSent(upstream, upstream.requests.length)).toMatch(/deny rule/);
    expect(existsSync(join(workspace, 'fallback-full.txt'))).toBe(true);
  });
});

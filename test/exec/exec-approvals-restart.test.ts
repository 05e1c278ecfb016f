// Approvals across a gateway restart (CLI child on one state dir): a request an agent run waits
// on cannot outlive the process, so after a crash it is recorded as expired and its session is
// told, and after a clean stop the run itself records why; a client's request stays pending and
// can still be decided. Never "unknown id".
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatSend, uniqueKey } from '../chat/chat-kit.js';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { makeStateDir, startCli, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, type RawSocket } from '../helpers/raw-socket.js';
import { nextRequested, openApprover, openRunner } from './exec-approval-kit.js';

let upstream: FakeOpenAiServer;
let config: Record<string, unknown>;
let stateDir: string;
let gw: RunningGateway;

const exited = (child: ChildProcess, signal: NodeJS.Signals): Promise<unknown> => {
  const done = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  return done;
};
const history = async (socket: RawSocket, sessionKey: string): Promise<string> => JSON.stringify((await call(socket, 'chat.history', { sessionKey, limit: 50 })).payload?.messages ?? []);

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  config = { ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl) };
  stateDir = makeStateDir(config);
  gw = await startCli(config, stateDir);
}, 60_000);
afterAll(async () => {
  await gw?.stop();
  await upstream?.close();
});

describe('exec approvals across a restart', () => {
  it('after a crash: the run\'s request is expired and its session told; a client\'s request is still pending', async () => {
    const runner = await openRunner(gw.url, gw.token);
    const approver = await openApprover(gw.url, gw.token);
    const sessionKey = `agent:main:${uniqueKey('restart')}`;
    upstream.enqueue({ toolCalls: [{ name: 'exec', arguments: { command: 'mkdir crash-dir' } }] });
    await chatSend(runner, sessionKey, 'make a dir');
    const toolOwned = await nextRequested(approver, 'mkdir crash-dir');
    const requester = await openApprover(gw.url, gw.token, 'node-host');
    requester.send({ type: 'req', id: 'keep-1', method: 'exec.approval.request', params: { command: 'deploy web', host: 'gateway', twoPhase: true } });
    const accepted = await requester.waitFor((f) => f.type === 'res' && f.id === 'keep-1');
    expect(accepted.payload.status).toBe('accepted');
    const clientOwned = accepted.payload.id as string;

    await exited(gw.child!, 'SIGKILL');
    gw = await startCli(config, stateDir);
    const runner2 = await openRunner(gw.url, gw.token);
    const approver2 = await openApprover(gw.url, gw.token);

    const listed = (await call(approver2, 'exec.approval.list', {})).payload.map((e: any) => e.id);
    expect(listed).toContain(clientOwned);
    expect(listed).not.toContain(toolOwned.id);
    expect((await call(approver2, 'exec.approval.get', { id: toolOwned.id })).payload).toMatchObject({ status: 'expired', expiredReason: 'gateway-restarted' });
    const late = await call(approver2, 'exec.approval.resolve', { id: toolOwned.id, decision: 'allow-once' });
    expect(late.error).toMatchObject({ details: { code: 'APPROVAL_NOT_FOUND' } });
    expect(late.error!.message).toMatch(/restarted/);
    await expect.poll(() => history(runner2, sessionKey), { timeout: 10_000 }).toContain(`Exec approval ${toolOwned.id}`);

    const waiter = call(approver2, 'exec.approval.waitDecision', { id: clientOwned }, 15_000);
    expect((await call(approver2, 'exec.approval.resolve', { id: clientOwned, decision: 'allow-once' })).ok).toBe(true);
    expect((await waiter).payload).toMatchObject({ id: clientOwned, decision: 'allow-once' });
    for (const s of [runner, approver, requester, runner2, approver2]) s.close();
  }, 60_000);

  it('after a clean stop: the waiting run records that its request expired', async () => {
    const runner = await openRunner(gw.url, gw.token);
    const approver = await openApprover(gw.url, gw.token);
    const sessionKey = `agent:main:${uniqueKey('stop')}`;
    upstream.enqueue({ toolCalls: [{ name: 'exec', arguments: { command: 'mkdir stop-dir' } }] }, { text: 'noted' });
    await chatSend(runner, sessionKey, 'make a dir');
    const requested = await nextRequested(approver, 'mkdir stop-dir');
    await exited(gw.child!, 'SIGTERM');
    gw = await startCli(config, stateDir);
    const approver2 = await openApprover(gw.url, gw.token);
    const runner2 = await openRunner(gw.url, gw.token);
    expect((await call(approver2, 'exec.approval.get', { id: requested.id })).payload).toMatchObject({ status: 'expired', expiredReason: 'gateway-stopping' });
    expect(await history(runner2, sessionKey)).toMatch(/expired \(the gateway stopped before anyone decided\); the command did not run/);
    for (const s of [runner, approver, runner2, approver2]) s.close();
  }, 60_000);
});

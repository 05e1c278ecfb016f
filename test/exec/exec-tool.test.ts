// The exec and process tools in a real gateway: the workspace as working directory (and the
// cwd rules), the scrubbed environment, streamed output, background processes, and the HTTP rule
// that /tools/invoke refuses exec unless gateway.tools.allow names it.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolError } from '../../server/tools/tool-error.js';
import type { ToolRegistry } from '../../server/tools/tool-registry.js';
import { bearer, postJson, startHttpGateway } from '../http/http-gateway.js';
import type { RunningGateway } from '../helpers/gateway-targets.js';

const PROVIDER_KEY = 'sk-provider-secret-0123456789';
const outside = realpathSync(mkdtempSync(join(tmpdir(), 'exec-outside-')));
const allowedRoot = realpathSync(mkdtempSync(join(tmpdir(), 'exec-allowed-')));
let gw: RunningGateway;
let tools: ToolRegistry;
let workspace: string;
const agent = { agentId: 'main', caller: { kind: 'internal' as const } };

beforeAll(async () => {
  Object.assign(process.env, { EXEC_TEST_API_TOKEN: 'tok-1', EXEC_TEST_SECRET_VALUE: 'sec-2', EXEC_TEST_KEY: 'key-3', EXEC_TEST_PLAIN: 'plain-4', EXEC_TEST_ALIAS: PROVIDER_KEY, EXEC_TEST_KEEP_TOKEN: 'kept-5' });
  gw = await startHttpGateway({
    models: { providers: { fake: { baseUrl: 'http://127.0.0.1:9/v1', apiKey: PROVIDER_KEY, models: [{ id: 'm' }] } } },
    tools: { exec: { envPassthrough: ['EXEC_TEST_KEEP_TOKEN'], allowedCwds: [allowedRoot], maxBackground: 2, maxOutputChars: 2_000 } },
  });
  tools = gw.gateway!.services.agents.tools;
  mkdirSync(join(gw.gateway!.services.agents.agents.workspaceOf('main'), 'sub'), { recursive: true });
  workspace = realpathSync(gw.gateway!.services.agents.agents.workspaceOf('main'));
  writeFileSync(join(workspace, 'notes.txt'), 'alpha\nTODO beta\ngamma TODO\n');
  // security full for this agent, so these tests are about running, not about asking
  writeFileSync(join(gw.stateDir, 'exec-approvals.json'), JSON.stringify({ version: 1, agents: { main: { security: 'full', ask: 'off' } } }));
});
afterAll(async () => {
  await gw?.stop();
  rmSync(outside, { recursive: true, force: true });
  rmSync(allowedRoot, { recursive: true, force: true });
});

const exec = (args: Record<string, unknown>, extra: Record<string, unknown> = {}) => tools.invoke('exec', args, { ...agent, ...extra }) as Promise<any>;

describe('exec tool', () => {
  it('runs in the workspace, and a relative cwd is inside it', async () => {
    expect(await exec({ command: 'pwd; grep -c TODO notes.txt' })).toMatchObject({ exitCode: 0, stdout: `${workspace}\n2\n`, cwd: workspace });
    expect((await exec({ command: 'pwd', cwd: 'sub' })).stdout).toBe(`${join(workspace, 'sub')}\n`);
  });

  it('refuses a cwd outside the workspace unless tools.exec.allowedCwds lists it', async () => {
    const error = await exec({ command: 'pwd', cwd: outside }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect(error).toMatchObject({ kind: 'denied', configKey: 'tools.exec.allowedCwds' });
    await expect(exec({ command: 'pwd', cwd: '../..' })).rejects.toMatchObject({ kind: 'denied' });
    expect((await exec({ command: 'pwd', cwd: allowedRoot })).stdout).toBe(`${allowedRoot}\n`);
    await expect(exec({ command: 'pwd', cwd: 'missing-dir' })).rejects.toMatchObject({ kind: 'denied', message: /does not exist/ });
  });

  it("scrubs the gateway's secrets from the environment", async () => {
    const { stdout } = await exec({ command: 'env' });
    for (const gone of ['EXEC_TEST_API_TOKEN', 'EXEC_TEST_SECRET_VALUE', 'EXEC_TEST_KEY', 'EXEC_TEST_ALIAS']) expect(stdout).not.toContain(`${gone}=`);
    expect(stdout).not.toContain(PROVIDER_KEY);
    expect(stdout).not.toContain(gw.token);
    expect(stdout).toContain('EXEC_TEST_PLAIN=plain-4');
    expect(stdout).toContain('EXEC_TEST_KEEP_TOKEN=kept-5');
    expect((await exec({ command: 'echo "$EXTRA"', env: { EXTRA: 'given' } })).stdout).toBe('given\n');
  });

  it('caps output at tools.exec.maxOutputChars and reports the cut', async () => {
    const result = await exec({ command: 'seq 1 5000' });
    expect(result.truncated.stdout).toBeGreaterThan(0);
    expect(result.stdout).toContain('output truncated');
  });

  it('streams output as tool updates while the command runs', async () => {
    const updates: any[] = [];
    const result = await exec({ command: 'echo first; sleep 0.5; echo second' }, { onUpdate: (u: unknown) => updates.push(u) });
    expect(result.stdout).toBe('first\nsecond\n');
    expect(updates[0]).toMatchObject({ status: 'running', stdout: 'first\n' });
    expect(updates.map((u) => u.stdout).join('')).toBe('first\nsecond\n');
  });

  it('reports timeouts and non-zero exits as results, not failures', async () => {
    expect(await exec({ command: 'sleep 30', timeoutMs: 300 })).toMatchObject({ exitCode: null, timedOut: true });
    expect(await exec({ command: 'exit 7' })).toMatchObject({ exitCode: 7 });
  });

  it('an abort of the call kills the command', async () => {
    const controller = new AbortController();
    const pending = exec({ command: 'sleep 30' }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('run aborted')), 300);
    await expect(pending).rejects.toMatchObject({ kind: 'aborted' });
  });

  it('background commands are listed, polled and killed through the process tool, bounded in number', async () => {
    const started = await exec({ command: 'echo ready; sleep 30', background: true });
    expect(started).toMatchObject({ status: 'running', processId: expect.stringMatching(/^proc_/) });
    const process = (args: Record<string, unknown>) => tools.invoke('process', args, agent) as Promise<any>;
    await expect.poll(async () => (await process({ action: 'poll', processId: started.processId })).stdout, { timeout: 10_000 }).toBe('ready\n');
    const second = await exec({ command: 'sleep 30', background: true });
    await expect(exec({ command: 'sleep 30', background: true })).rejects.toMatchObject({ kind: 'execution_failed', message: /maxBackground/ });
    expect((await process({ action: 'list' })).processes.map((p: any) => p.processId)).toEqual(expect.arrayContaining([started.processId, second.processId]));
    expect(await process({ action: 'kill', processId: started.processId })).toMatchObject({ status: 'killed' });
    await process({ action: 'kill', processId: second.processId });
    const other = await tools.invoke('process', { action: 'poll', processId: started.processId }, { agentId: 'ops', caller: { kind: 'internal' } }).catch((e: unknown) => e);
    expect(other).toMatchObject({ kind: 'execution_failed' }); // another agent's process is not visible
  });

  it('/tools/invoke refuses exec unless gateway.tools.allow names it', async () => {
    const res = await postJson(`${gw.httpUrl}/tools/invoke`, { tool: 'exec', args: { command: 'echo hi' } }, bearer(gw.token));
    expect(res.status).toBe(403);
    expect(JSON.stringify(await res.json())).toContain('gateway.tools.allow');
  });
});

describe('exec over /tools/invoke when allowed', () => {
  let allowed: RunningGateway;
  beforeAll(async () => {
    allowed = await startHttpGateway({ gateway: { tools: { allow: ['exec'] } } });
  });
  afterAll(() => allowed?.stop());

  it('runs a read-only command; one needing approval is denied with nobody to ask', async () => {
    const ok = await postJson(`${allowed.httpUrl}/tools/invoke`, { tool: 'exec', args: { command: 'echo hi | wc -c' } }, bearer(allowed.token));
    expect(ok.status).toBe(200);
    expect((await ok.json()).result).toMatchObject({ exitCode: 0, stdout: '3\n' });
    const refused = await postJson(`${allowed.httpUrl}/tools/invoke`, { tool: 'exec', args: { command: 'touch x' } }, bearer(allowed.token));
    expect(refused.status).toBe(403);
    expect(JSON.stringify(await refused.json())).toMatch(/no approver is connected/);
  });
});

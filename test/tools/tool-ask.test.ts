// The third tool-policy outcome: ask. The call (and its run) waits for a decision; allow runs the
// tool, deny refuses it, the ask's timeout applies its onTimeout, and an abort while waiting ends
// the wait at once. Through the agent loop the run is suspended meanwhile and says so in a tool event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ToolError } from '../../server/tools/tool-error.js';
import { ToolRegistry } from '../../server/tools/tool-registry.js';
import type { ToolAsk } from '../../server/tools/tool-types.js';
import { chatSend, collectRun, uniqueKey } from '../chat/chat-kit.js';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady } from '../helpers/raw-socket.js';

type Decision = { outcome: 'allow' } | { outcome: 'deny'; reason: string };

/** An approver the test drives: each ask waits until `decide` is called (or the wait is aborted). */
class TestApprover {
  readonly asked: ToolAsk[] = [];
  readonly waitSignals: AbortSignal[] = [];
  private pending = new Map<string, (d: Decision) => void>();
  constructor(private readonly onTimeout?: 'allow' | 'deny', private readonly timeoutMs = 5_000) {}
  ask(id: string, summary: string): ToolAsk {
    const ask: ToolAsk = {
      id,
      summary,
      timeoutMs: this.timeoutMs,
      ...(this.onTimeout ? { onTimeout: this.onTimeout } : {}),
      wait: (signal) => {
        this.waitSignals.push(signal);
        return new Promise<Decision>((resolve, reject) => {
          this.pending.set(id, resolve);
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
      },
    };
    this.asked.push(ask);
    return ask;
  }
  decide(id: string, decision: Decision): void {
    this.pending.get(id)?.(decision);
  }
}

function registryWith(approver: TestApprover): { registry: ToolRegistry; ran: string[] } {
  const registry = new ToolRegistry();
  const ran: string[] = [];
  registry.register({
    name: 'guarded',
    description: 'Runs what it is told, if allowed',
    parameters: z.strictObject({ what: z.string() }),
    authorize: ({ what }) => (what === 'safe' ? { outcome: 'allow' } : what === 'never' ? { outcome: 'deny', reason: 'never is denied' } : { outcome: 'ask', ask: approver.ask(`ask-${what}`, `run ${what}?`) }),
    run: ({ what }) => {
      ran.push(what);
      return `did ${what}`;
    },
  });
  return { registry, ran };
}

const subject = { agentId: 'main', caller: { kind: 'agent' as const } };
const settle = (ms = 10) => new Promise((r) => setTimeout(r, ms));

describe('tool ask outcome (registry)', () => {
  it('allow and deny are immediate; ask waits until decided', async () => {
    const approver = new TestApprover();
    const { registry, ran } = registryWith(approver);
    expect(await registry.invoke('guarded', { what: 'safe' }, subject)).toBe('did safe');
    await expect(registry.invoke('guarded', { what: 'never' }, subject)).rejects.toMatchObject({ kind: 'denied', message: 'never is denied' });
    const asks: ToolAsk[] = [];
    const pending = registry.invoke('guarded', { what: 'rm' }, { ...subject, onAsk: (a) => asks.push(a) });
    await settle();
    expect(ran).toEqual(['safe']);
    expect(asks.map((a) => a.id)).toEqual(['ask-rm']);
    approver.decide('ask-rm', { outcome: 'allow' });
    expect(await pending).toBe('did rm');
    // The approver's wait signal is released once decided.
    expect(approver.waitSignals[0]!.aborted).toBe(true);
    const denied = registry.invoke('guarded', { what: 'dd' }, subject);
    await settle();
    approver.decide('ask-dd', { outcome: 'deny', reason: 'operator said no' });
    await expect(denied).rejects.toMatchObject({ kind: 'denied', message: 'operator said no' });
    expect(ran).toEqual(['safe', 'rm']);
  });

  it('the timeout applies onTimeout: deny by default, allow when the ask says so', async () => {
    const strict = registryWith(new TestApprover(undefined, 30));
    await expect(strict.registry.invoke('guarded', { what: 'x' }, subject)).rejects.toMatchObject({ kind: 'denied', message: /no decision within/ });
    const lenient = registryWith(new TestApprover('allow', 30));
    expect(await lenient.registry.invoke('guarded', { what: 'y' }, subject)).toBe('did y');
  });

  it('an abort while waiting ends the wait at once as aborted', async () => {
    const approver = new TestApprover();
    const { registry, ran } = registryWith(approver);
    const controller = new AbortController();
    const pending = registry.invoke('guarded', { what: 'z' }, { ...subject, signal: controller.signal });
    await settle();
    controller.abort(new Error('run aborted'));
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).kind).toBe('aborted');
    expect(approver.waitSignals[0]!.aborted).toBe(true);
    expect(ran).toEqual([]);
  });
});

describe('tool ask outcome (agent loop)', () => {
  let upstream: FakeOpenAiServer;
  let gw: RunningGateway;
  const approver = new TestApprover();
  beforeAll(async () => {
    upstream = await startFakeOpenAi();
    gw = await startInProcess({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl) });
    const tools = gw.gateway!.services.agents.tools;
    tools.register({
      name: 'guarded',
      description: 'Needs approval',
      parameters: z.strictObject({ what: z.string() }),
      authorize: ({ what }) => ({ outcome: 'ask', ask: approver.ask(`loop-${what}`, `run ${what}?`) }),
      run: ({ what }) => `did ${what}`,
    });
  });
  afterAll(async () => {
    await gw?.stop();
    await upstream?.close();
  });

  it('suspends the run until the decision arrives, announcing it as a tool update', async () => {
    const { socket } = await openReady(gw.url, gw.token, { caps: ['tool-events'] });
    const sessionKey = `agent:main:${uniqueKey('ask')}`;
    upstream.enqueue({ toolCalls: [{ name: 'guarded', arguments: { what: 'deploy' } }] }, { text: 'deployed' });
    const runId = (await chatSend(socket, sessionKey, 'deploy it')).payload.runId as string;
    const update = await socket.waitFor((f) => f.event === 'agent' && f.payload.runId === runId && f.payload.stream === 'tool' && f.payload.data.phase === 'update');
    expect(update.payload.data.partialResult).toMatchObject({ status: 'awaiting_decision', askId: 'loop-deploy', summary: 'run deploy?' });
    await settle(50);
    expect(upstream.requests.length).toBe(1); // the model is not asked again while the run waits
    expect((await call(socket, 'agent.wait', { runId, timeoutMs: 50 })).payload.status).toBe('timeout');
    approver.decide('loop-deploy', { outcome: 'allow' });
    const run = await collectRun(socket, runId);
    expect(run.terminal.payload.state).toBe('final');
    const toolMessage = upstream.requests[1]!.body.messages!.find((m) => m.role === 'tool');
    expect(toolMessage?.content).toBe('did deploy');
    socket.close();
  });
});

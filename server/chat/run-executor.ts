// Executes one accepted run end to end: transcript, prompt, model/tool loop, events, usage. It
// never throws and always settles the run, whatever the provider, a tool or the disk does.
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import type { EventPayload } from '../../generated/server/method-types.js';
import { configuredAgent, type AgentDirectory } from '../agents/agent-directory.js';
import type { WorkspaceContextCache } from '../agents/workspace-files.js';
import type { EventHub } from '../core/event-hub.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { costOf } from '../models/model-catalog.js';
import { ProviderError, type ChatErrorKind } from '../providers/provider-error.js';
import { parseThinkingLevel, type ThinkingLevel } from '../providers/thinking-level.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { TranscriptFile } from '../sessions/transcript-file.js';
import type { StoredMessage } from '../sessions/transcript-types.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import { toolResultMeta } from '../tools/tool-result.js';
import type { UsageLedger } from '../usage/usage-ledger.js';
import { RunAbortedError, type AgentRun } from './agent-run.js';
import { buildPrompt, type PromptInput } from './prompt-builder.js';
import type { PromptSections } from './prompt-sections.js';
import { buildUserTurn } from './run-input.js';
import { assistantMessage, LoopState, runModelLoop, type LoopOutcome } from './run-loop.js';
import { RunPublisher, type SessionToolSink } from './run-publisher.js';
import type { AgentRunResult, AgentRunUsage } from './run-types.js';

export interface RunServices {
  readonly hub: EventHub;
  readonly logger: GatewayLogger;
  readonly config: () => OpenClawConfig;
  readonly sessions: SessionStore;
  readonly agents: AgentDirectory;
  readonly tools: ToolRegistry;
  readonly usage: UsageLedger;
  readonly workspace: WorkspaceContextCache;
  /** Prompt sections subsystems contribute (memory, skills). */
  readonly promptSections: PromptSections;
  /** The session subscribers that get a run's tool steps as `session.tool`. */
  readonly sessionTools: SessionToolSink | undefined;
  sessionsChanged(payload: EventPayload<'sessions.changed'>): void;
}

const DEFAULT_TIMEOUT_MS = 600_000;
const DEFAULT_MAX_STEPS = 16;
const DEFAULT_CONTEXT_TOKENS = 128_000;

export async function executeRun(run: AgentRun, s: RunServices): Promise<AgentRunResult> {
  const startedAt = Date.now();
  run.markRunning(startedAt);
  const req = run.request;
  const publisher = new RunPublisher(s.hub, run.runId, run.sessionKey, run.recipients, s.sessionTools);
  const state = new LoopState();
  const defaults = s.config().agents?.defaults;
  const timeoutMs = req.timeoutMs ?? (defaults?.timeoutSeconds ? defaults.timeoutSeconds * 1000 : DEFAULT_TIMEOUT_MS);
  const timer = setTimeout(() => run.abortWith('timeout', `the run took longer than ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
  timer.unref?.();
  // Looked up per message, not held for the run: a transcript evicted from the cache meanwhile is not written behind the new reader's back.
  const transcript = (): TranscriptFile | undefined => s.sessions.transcript(run.sessionKey);
  const record = (message: StoredMessage): void => {
    try {
      transcript()?.appendMessage(message);
    } catch (error) {
      s.logger.error('transcript write failed', { sessionKey: run.sessionKey, error: (error as Error).message });
    }
  };

  let outcome: LoopOutcome | undefined;
  let failure: { message: string; kind: ChatErrorKind } | undefined;
  let began = false;
  try {
    publisher.lifecycle('start', { startedAt });
    run.emit({ type: 'start', startedAt, model: run.model.ref });
    s.sessions.update(run.sessionKey, (e) => {
      e.status = 'running';
      e.startedAt = startedAt;
    });
    s.sessionsChanged({ sessionKey: run.sessionKey, reason: 'send', phase: 'start', runId: run.runId, ts: startedAt });

    if (run.signal.aborted) throw run.signal.reason;
    const agent = s.agents.require(run.agentId);
    const turn = buildUserTurn(req.message, req.attachments);
    const prior = transcript()?.load() ?? [];
    const optional: { extraSystemPrompt?: string; priorMessages?: PromptInput['priorMessages'] } = {};
    if (req.extraSystemPrompt) optional.extraSystemPrompt = req.extraSystemPrompt;
    if (req.priorMessages) optional.priorMessages = req.priorMessages;
    const messages = buildPrompt({
      agentId: agent.id,
      agentName: agent.name,
      sessionKey: run.sessionKey,
      workspaceFiles: s.workspace.read(agent.workspace),
      sections: s.promptSections.render({ agentId: agent.id, sessionKey: run.sessionKey, workspace: agent.workspace }),
      transcript: prior,
      userContent: turn.present ? turn.model : undefined,
      budgetChars: (run.model.contextWindow ?? DEFAULT_CONTEXT_TOKENS) * 3,
      ...optional,
    });
    if (turn.present) record({ role: 'user', content: turn.stored, timestamp: startedAt });
    else recordContinuation(req.priorMessages, record);
    began = true;

    const subject = { agentId: run.agentId, sessionKey: run.sessionKey, caller: req.caller, runId: run.runId };
    outcome = await runModelLoop(
      {
        model: run.model,
        messages,
        serverTools: req.serverTools === false ? [] : s.tools.specsFor(subject),
        clientTools: (req.clientTools ?? []).map((t) => ({ name: t.name, description: t.description ?? '', parameters: t.parameters ?? { type: 'object', properties: {} } })),
        toolChoice: req.toolChoice,
        maxSteps: req.maxToolSteps ?? defaults?.maxToolSteps ?? DEFAULT_MAX_STEPS,
        maxTokens: req.maxOutputTokens ?? run.model.maxTokens,
        sampling: req.sampling,
        thinking: effectiveThinking(run, s),
        signal: run.signal,
        registry: s.tools,
        subject,
        onText: (delta) => {
          run.currentText = state.text;
          publisher.appendText(delta);
          run.emit({ type: 'text', delta, text: state.text });
        },
        onThinking: (delta) => {
          publisher.thinking(delta);
          run.emit({ type: 'thinking', delta });
        },
        onToolStart: (call, args) => {
          publisher.tool({ phase: 'start', name: call.name, toolCallId: call.id, args });
          run.emit({ type: 'tool_start', toolCallId: call.id, name: call.name, args });
        },
        onToolAsk: (call, ask) => {
          const partialResult = { status: 'awaiting_decision', askId: ask.id, summary: ask.summary, timeoutMs: ask.timeoutMs };
          publisher.tool({ phase: 'update', name: call.name, toolCallId: call.id, partialResult });
          run.emit({ type: 'tool_ask', toolCallId: call.id, name: call.name, askId: ask.id, summary: ask.summary });
        },
        onToolUpdate: (call, partial) => {
          publisher.tool({ phase: 'update', name: call.name, toolCallId: call.id, partialResult: partial });
        },
        onToolResult: (call, result, isError) => {
          const verbose = s.sessions.get(run.sessionKey)?.verboseLevel === 'full';
          const meta = toolResultMeta(result);
          const extra: { meta?: Record<string, unknown>; result?: unknown } = {};
          if (meta) extra.meta = meta;
          if (verbose) extra.result = result;
          publisher.tool({ phase: 'result', name: call.name, toolCallId: call.id, isError, ...extra });
          run.emit({ type: 'tool_result', toolCallId: call.id, name: call.name, result, isError });
        },
        record,
      },
      state,
    );
  } catch (error) {
    failure = describeFailure(error, run);
    if (!(error instanceof ProviderError) && !(error instanceof RunAbortedError) && !run.signal.aborted) {
      s.logger.error('agent run failed', { runId: run.runId, error: (error as Error).message, stack: (error as Error).stack });
    }
  } finally {
    clearTimeout(timer);
  }

  const endedAt = Date.now();
  const usage = usageOf(state, run);
  const aborted = run.signal.aborted && run.abortKind !== 'timeout';
  const status: AgentRunResult['status'] = failure ? (aborted ? 'aborted' : run.abortKind === 'timeout' ? 'timeout' : 'error') : 'ok';
  const stopReason: AgentRunResult['stopReason'] = status === 'ok' ? outcome!.stopReason : status === 'error' ? 'error' : status;
  run.currentText = state.text;

  // Publish first, then persist: the final event is not delayed by disk writes.
  try {
    if (status === 'ok') {
      publisher.lifecycle('end', { startedAt, endedAt });
      publisher.final(usage, stopReason);
    } else if (status === 'aborted') {
      publisher.lifecycle('end', { startedAt, endedAt, aborted: true });
      publisher.aborted(usage);
    } else {
      publisher.lifecycle('error', { startedAt, endedAt, error: failure!.message });
      publisher.error(failure!.message, failure!.kind, usage);
    }
  } catch (error) {
    s.logger.error('publishing the end of a run failed', { runId: run.runId, error: (error as Error).message });
  }
  publisher.dispose();

  const storedUsage = { ...usage };
  if (status === 'ok') {
    if (outcome!.finalMessage) record(Object.assign({}, outcome!.finalMessage, { usage: storedUsage }));
  } else if (began) {
    const partial = state.stepText;
    record(
      assistantMessage(run.model, partial, [], status === 'aborted' ? 'aborted' : 'error', {
        usage: storedUsage,
        ...(status === 'aborted' ? {} : { errorMessage: failure!.message }),
      }),
    );
  }
  if (usage.totalTokens > 0) {
    s.usage.record({
      ts: endedAt,
      runId: run.runId,
      agentId: run.agentId,
      sessionKey: run.sessionKey,
      provider: run.model.providerId,
      model: run.model.modelId,
      input: usage.input,
      output: usage.output,
      cacheRead: usage.cacheRead,
      cacheWrite: usage.cacheWrite,
      ...(usage.cost ? { cost: usage.cost } : {}),
    });
  }
  s.sessions.update(run.sessionKey, (e) => {
    e.updatedAt = endedAt;
    e.endedAt = endedAt;
    e.runtimeMs = endedAt - startedAt;
    e.status = status === 'ok' ? 'done' : status === 'aborted' ? 'killed' : status === 'timeout' ? 'timeout' : 'failed';
    e.abortedLastRun = status === 'aborted';
    e.inputTokens = (e.inputTokens ?? 0) + usage.input;
    e.outputTokens = (e.outputTokens ?? 0) + usage.output;
    e.cacheRead = (e.cacheRead ?? 0) + usage.cacheRead;
    e.cacheWrite = (e.cacheWrite ?? 0) + usage.cacheWrite;
    e.totalTokens = (e.totalTokens ?? 0) + usage.totalTokens;
    if (usage.cost) e.estimatedCostUsd = (e.estimatedCostUsd ?? 0) + usage.cost.total;
    e.modelProvider = run.model.providerId;
    e.model = run.model.modelId;
    const preview = state.text || (typeof req.message === 'string' ? req.message : '');
    if (preview) e.lastMessagePreview = preview.slice(0, 200);
    if (!e.derivedTitle && typeof req.message === 'string' && req.message.trim()) e.derivedTitle = req.message.trim().slice(0, 60);
  });
  s.sessionsChanged({ sessionKey: run.sessionKey, reason: 'send', phase: 'message', runId: run.runId, ts: endedAt, usage: { ...usage } });

  const result: AgentRunResult = {
    runId: run.runId,
    agentId: run.agentId,
    sessionKey: run.sessionKey,
    sessionId: run.sessionId,
    status,
    text: state.text,
    stopReason,
    pendingToolCalls: status === 'ok' ? outcome!.pendingToolCalls : [],
    usage,
    model: run.model.ref,
    startedAt,
    endedAt,
    ...(failure && status !== 'aborted' ? { error: failure } : {}),
  };
  run.finish(result);
  return result;
}

/**
 * The run's thinking level: its own, else the session's `thinkingLevel`, else the agent's
 * `thinkingDefault`, else `agents.defaults.thinkingDefault`. One that names no level (a hand-edited
 * config or sessions.json, a front end that does not check) is skipped, and logged the first time.
 */
function effectiveThinking(run: AgentRun, s: RunServices): ThinkingLevel | undefined {
  const config = s.config();
  const agent = configuredAgent(config, run.agentId);
  const candidates: [string, unknown][] = [
    ['thinking', run.request.thinking],
    ['session thinkingLevel', s.sessions.get(run.sessionKey)?.thinkingLevel],
    ['agents.list[].thinkingDefault', agent?.thinkingDefault],
    ['agents.defaults.thinkingDefault', config.agents?.defaults?.thinkingDefault],
  ];
  for (const [source, value] of candidates) {
    if (typeof value !== 'string' || value.trim() === '') continue;
    const level = parseThinkingLevel(value);
    if (level) return level;
    if (firstBadThinking(source, value)) s.logger.warn('unknown thinking level ignored (logged once per source and value)', { runId: run.runId, source, value });
  }
  return undefined;
}

/** Bad thinking levels already logged, as `source\nvalue`; oldest dropped beyond the cap. */
const badThinkingLogged = new Set<string>();
const MAX_BAD_THINKING_LOGGED = 256;

/** True the first time this process meets this bad value from this source (a bad config would otherwise log on every run). */
function firstBadThinking(source: string, value: string): boolean {
  const key = `${source}\n${value.slice(0, 200)}`;
  if (badThinkingLogged.has(key)) return false;
  if (badThinkingLogged.size >= MAX_BAD_THINKING_LOGGED) badThinkingLogged.delete(badThinkingLogged.values().next().value!);
  badThinkingLogged.add(key);
  return true;
}

function describeFailure(error: unknown, run: AgentRun): { message: string; kind: ChatErrorKind } {
  if (run.signal.aborted) {
    const reason: unknown = run.signal.reason;
    const message = reason instanceof Error ? reason.message : 'aborted';
    return { message: run.abortKind === 'timeout' ? `agent run timed out: ${message}` : message, kind: run.abortKind === 'timeout' ? 'timeout' : 'unknown' };
  }
  if (error instanceof ProviderError) return { message: error.message, kind: error.chatErrorKind };
  return { message: `the agent run failed: ${error instanceof Error ? error.message : String(error)}`, kind: 'unknown' };
}

function usageOf(state: LoopState, run: AgentRun): AgentRunUsage {
  const u = state.usage;
  // state.usage holds exactly these four counts (emptyUsage(), then summed in place).
  const usage: AgentRunUsage = { input: u.input, output: u.output, cacheRead: u.cacheRead, cacheWrite: u.cacheWrite, totalTokens: u.input + u.output + u.cacheRead + u.cacheWrite };
  if (run.model.price) usage.cost = costOf(u, run.model.price);
  return usage;
}

/** A run without a user message continues after client tool results: store those results. */
function recordContinuation(prior: AgentRun['request']['priorMessages'], record: (m: StoredMessage) => void): void {
  if (!prior) return;
  let i = prior.length;
  while (i > 0 && prior[i - 1]!.role === 'tool') i--;
  for (const m of prior.slice(i)) {
    if (m.role !== 'tool') continue;
    record({ role: 'toolResult', toolCallId: m.toolCallId, toolName: m.name ?? 'client_tool', content: [{ type: 'text', text: m.content }], isError: false, timestamp: Date.now() });
  }
}

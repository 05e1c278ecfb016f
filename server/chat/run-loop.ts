// The model ↔ tool loop of one run: stream a model step, run the server tools it called, feed the
// results back, until the model stops, calls a client tool, or the step limit is reached.
import { emptyUsage, type ModelMessage, type ModelStopReason, type ModelToolCall, type ModelToolChoice, type ModelUsage, type SamplingOptions } from '../providers/model-types.js';
import type { ResolvedModel } from '../models/model-catalog.js';
import type { ThinkingLevel } from '../providers/thinking-level.js';
import type { StoredMessage, StoredUsage, TextBlock, ToolCallBlock } from '../sessions/transcript-types.js';
import { ToolError } from '../tools/tool-error.js';
import { parseToolArguments, type ToolRegistry } from '../tools/tool-registry.js';
import { toolResultImages, toolResultText } from '../tools/tool-result.js';
import type { ToolAsk, ToolCaller, ToolSpec } from '../tools/tool-types.js';
import type { AgentRunStopReason } from './run-types.js';

const MAX_TOOL_RESULT_CHARS = 100_000;

export interface LoopInput {
  readonly model: ResolvedModel;
  readonly messages: ModelMessage[];
  readonly serverTools: readonly ToolSpec[];
  readonly clientTools: readonly ToolSpec[];
  readonly toolChoice: ModelToolChoice | undefined;
  readonly maxSteps: number;
  readonly maxTokens: number | undefined;
  /** The run's effective thinking level; the provider sends it only to reasoning models. */
  readonly thinking: ThinkingLevel | undefined;
  readonly sampling: SamplingOptions | undefined;
  readonly signal: AbortSignal;
  readonly registry: ToolRegistry;
  readonly subject: { readonly agentId: string; readonly sessionKey: string; readonly caller: ToolCaller; readonly runId: string };
  onText(delta: string): void;
  onThinking(delta: string): void;
  onToolStart(call: ModelToolCall, args: unknown): void;
  onToolResult(call: ModelToolCall, result: unknown, isError: boolean): void;
  /** A tool call waits for a decision (an approval): the run is suspended until it arrives. */
  onToolAsk(call: ModelToolCall, ask: ToolAsk): void;
  /** A running tool reports progress (exec streams its output this way). */
  onToolUpdate(call: ModelToolCall, partial: unknown): void;
  /** Records a transcript message (assistant steps with tool calls, tool results). */
  record(message: StoredMessage): void;
}

/** Mutable progress, readable by the caller even when the loop throws (abort, provider error). */
export class LoopState {
  text = '';
  /** Text of the step in progress (not yet recorded). */
  stepText = '';
  readonly usage: ModelUsage = emptyUsage();
  steps = 0;
}

export interface LoopOutcome {
  readonly stopReason: AgentRunStopReason;
  readonly pendingToolCalls: readonly ModelToolCall[];
  /** The last step's assistant message, for the caller to record after publishing `final`. */
  readonly finalMessage: StoredMessage | undefined;
}

export async function runModelLoop(input: LoopInput, state: LoopState): Promise<LoopOutcome> {
  const clientNames = new Set(input.clientTools.map((t) => t.name));
  const tools = [...input.serverTools.filter((t) => !clientNames.has(t.name)), ...input.clientTools];
  for (;;) {
    state.steps++;
    // The last allowed step offers no tools, so the model answers with what it has.
    const lastStep = state.steps >= input.maxSteps;
    state.stepText = '';
    const calls: ModelToolCall[] = [];
    let stop: ModelStopReason = 'stop';
    const optional: { toolChoice?: ModelToolChoice; maxTokens?: number; thinking?: ThinkingLevel; sampling?: SamplingOptions } = {};
    // A forced choice (`required`, or one named tool) binds the first step only: later steps see
    // the tool results and decide freely, or a forced server tool would run on every step.
    const forced = input.toolChoice === 'required' || typeof input.toolChoice === 'object';
    if (input.toolChoice !== undefined && !lastStep && (!forced || state.steps === 1)) optional.toolChoice = input.toolChoice;
    if (input.maxTokens !== undefined) optional.maxTokens = input.maxTokens;
    if (input.thinking !== undefined) optional.thinking = input.thinking;
    if (input.sampling !== undefined) optional.sampling = input.sampling;
    const stream = input.model.provider.stream({
      model: input.model.modelId,
      messages: input.messages,
      tools: lastStep ? [] : tools,
      signal: input.signal,
      purpose: 'turn',
      ...optional,
    });
    for await (const event of stream) {
      switch (event.type) {
        case 'text': {
          const delta = state.stepText === '' && state.text !== '' ? `\n\n${event.text}` : event.text;
          state.stepText += event.text;
          state.text += delta;
          input.onText(delta);
          break;
        }
        case 'thinking':
          input.onThinking(event.text);
          break;
        case 'tool_call':
          if (!lastStep) calls.push(event.call);
          break;
        case 'usage':
          state.usage.input += event.usage.input;
          state.usage.output += event.usage.output;
          state.usage.cacheRead += event.usage.cacheRead;
          state.usage.cacheWrite += event.usage.cacheWrite;
          break;
        case 'stop':
          stop = event.reason;
          break;
      }
    }
    const assistant = assistantMessage(input.model, state.stepText, calls, calls.length > 0 ? 'toolUse' : stop);
    state.stepText = '';
    if (calls.length === 0) {
      const stopReason = lastStep && state.steps > 1 ? 'max_steps' : stop === 'tool_calls' ? 'stop' : stop;
      return { stopReason, pendingToolCalls: [], finalMessage: assistant };
    }
    input.record(assistant);
    input.messages.push({ role: 'assistant', content: assistant.content.filter((b): b is TextBlock => b.type === 'text').map((b) => b.text).join(''), toolCalls: calls });
    const pending: ModelToolCall[] = [];
    for (const call of calls) {
      if (clientNames.has(call.name)) {
        pending.push(call);
        continue;
      }
      if (input.signal.aborted) break;
      await runServerTool(input, call);
    }
    if (input.signal.aborted) throw input.signal.reason ?? new Error('aborted');
    if (pending.length > 0) return { stopReason: 'tool_calls', pendingToolCalls: pending, finalMessage: undefined };
  }
}

async function runServerTool(input: LoopInput, call: ModelToolCall): Promise<void> {
  let result: unknown;
  let isError = false;
  try {
    let args: unknown;
    try {
      args = parseToolArguments(call.name, call.arguments);
    } finally {
      input.onToolStart(call, args ?? call.arguments);
    }
    const { agentId, sessionKey, caller, runId } = input.subject;
    result = await input.registry.invoke(call.name, args, {
      agentId,
      sessionKey,
      caller,
      runId,
      toolCallId: call.id,
      signal: input.signal,
      onAsk: (ask) => input.onToolAsk(call, ask),
      onUpdate: (partial) => input.onToolUpdate(call, partial),
    });
  } catch (error) {
    if (!(error instanceof ToolError)) throw error;
    if (input.signal.aborted) throw input.signal.reason ?? error;
    isError = true;
    result = { error: error.kind, message: error.message };
  }
  input.onToolResult(call, result, isError);
  let text = toolResultText(result);
  if (text.length > MAX_TOOL_RESULT_CHARS) text = `${text.slice(0, MAX_TOOL_RESULT_CHARS)}\n…(truncated)`;
  input.record({ role: 'toolResult', toolCallId: call.id, toolName: call.name, content: [{ type: 'text', text }], isError, timestamp: Date.now() });
  // Images reach the model of this run only; the transcript keeps the text (which names the file).
  const images = input.model.imageInput === true ? toolResultImages(result) : [];
  if (images.length > 0) input.messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content: text, images });
  else input.messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content: text });
}

export function assistantMessage(
  model: ResolvedModel,
  text: string,
  calls: readonly ModelToolCall[],
  stopReason: string,
  extra: { usage?: StoredUsage; errorMessage?: string } = {},
): StoredMessage & { role: 'assistant' } {
  const content: (TextBlock | ToolCallBlock)[] = [];
  if (text) content.push({ type: 'text', text });
  for (const call of calls) {
    let parsed: unknown = call.arguments;
    try {
      parsed = call.arguments.trim() ? JSON.parse(call.arguments) : {};
    } catch {
      // keep the raw text
    }
    content.push({ type: 'toolCall', id: call.id, name: call.name, arguments: parsed });
  }
  const optional: { usage?: StoredUsage; errorMessage?: string } = {};
  if (extra.usage) optional.usage = extra.usage;
  if (extra.errorMessage) optional.errorMessage = extra.errorMessage;
  return {
    role: 'assistant',
    content,
    timestamp: Date.now(),
    api: 'openai-completions',
    provider: model.providerId,
    model: model.modelId,
    stopReason,
    ...optional,
  };
}

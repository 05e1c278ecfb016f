// The run streaming into the open session: its cumulative text from `chat` deltas and its tool
// steps from `agent` tool events (start, update — including "awaiting approval" — and result).
import type { AgentEvent } from '../../../contract/schemas/agent.js';
import type { ChatEvent } from '../../../contract/schemas/chat.js';
import { formatToolValue, type ToolStep } from './transcript-model.js';

export interface LiveRun {
  readonly runId: string;
  text: string;
  readonly tools: ToolStep[];
  state: 'waiting' | 'streaming' | 'final' | 'aborted' | 'error';
  error?: string;
}

const MAX_PARTIAL_CHARS = 4000;

export function newLiveRun(runId: string): LiveRun {
  return { runId, text: '', tools: [], state: 'waiting' };
}

function messageText(message: unknown): string | undefined {
  if (!message || typeof message !== 'object') return undefined;
  const content = (message as { content?: unknown }).content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  return content
    .filter((b): b is { type: string; text: string } => !!b && b.type === 'text' && typeof b.text === 'string')
    .map((b) => b.text)
    .join('\n');
}

/** Applies a `chat` event of this run; returns whether the run has ended. */
export function applyChatEvent(run: LiveRun, event: ChatEvent): boolean {
  if (event.state === 'delta') {
    const text = messageText(event.message);
    if (text !== undefined) run.text = text;
    else if (event.deltaText) run.text = event.replace ? event.deltaText : run.text + event.deltaText;
    run.state = 'streaming';
    return false;
  }
  // Upstream gateways report progress phases as `status`: the run goes on.
  if (event.state === 'status') return false;
  const final = messageText(event.message);
  if (final !== undefined && final.length > 0) run.text = final;
  run.state = event.state;
  if (event.state === 'error') run.error = event.errorMessage;
  return true;
}

/** Applies an `agent` event of this run (tool steps; the rest arrives as chat events). */
export function applyAgentEvent(run: LiveRun, event: AgentEvent): void {
  if (event.stream !== 'tool') {
    if (event.stream === 'lifecycle' && event.data.phase === 'error' && !run.error) run.error = event.data.error;
    return;
  }
  const data = event.data;
  let step = run.tools.find((s) => s.id === data.toolCallId);
  if (!step) {
    step = { id: data.toolCallId, name: data.name, args: data.args, status: 'running' };
    run.tools.push(step);
  }
  if (data.phase === 'start') {
    step.args = data.args;
    return;
  }
  if (data.phase === 'update') {
    const partial = data.partialResult as { status?: unknown; askId?: unknown; summary?: unknown } | undefined;
    if (partial && partial.status === 'awaiting_decision' && typeof partial.askId === 'string') {
      step.status = 'awaiting';
      step.askId = partial.askId;
      if (typeof partial.summary === 'string') step.summary = partial.summary;
    } else if (partial !== undefined) {
      step.status = 'running';
      step.result = formatToolValue(partial).slice(-MAX_PARTIAL_CHARS);
    }
    return;
  }
  step.status = data.isError ? 'error' : 'done';
  step.askId = undefined;
  if (data.result !== undefined) step.result = formatToolValue(data.result);
}

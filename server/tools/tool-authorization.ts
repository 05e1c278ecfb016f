// The per-call policy of a tool (ToolDefinition.authorize): allow, deny, or ask. An ask suspends
// the call — and with it the agent run — until the decision arrives, the ask's timeout passes
// (its onTimeout applies) or the call is aborted (run aborted, HTTP client gone).
import { ToolError } from './tool-error.js';
import type { ToolAsk, ToolAuthorization, ToolCallContext, ToolDefinition } from './tool-types.js';

export interface AskObserver {
  onAsk?(ask: ToolAsk): void;
}

/** Resolves when the call may run; throws ToolError `denied` or `aborted` otherwise. */
export async function authorizeCall(definition: ToolDefinition<unknown>, args: unknown, ctx: ToolCallContext, observer: AskObserver): Promise<void> {
  const name = definition.name;
  let verdict: ToolAuthorization;
  try {
    verdict = await definition.authorize!(args, ctx);
  } catch (error) {
    if (error instanceof ToolError) throw error;
    throw new ToolError('denied', name, `${name} could not be authorised: ${error instanceof Error ? error.message : 'unknown error'}`, { cause: error });
  }
  if (verdict.outcome === 'allow') return;
  if (verdict.outcome === 'deny') throw new ToolError('denied', name, verdict.reason, verdict.configKey ? { configKey: verdict.configKey } : {});
  const decision = await waitForDecision(name, verdict.ask, ctx.signal, observer);
  if (decision.outcome === 'deny') throw new ToolError('denied', name, decision.reason);
}

async function waitForDecision(name: string, ask: ToolAsk, callSignal: AbortSignal, observer: AskObserver): Promise<{ outcome: 'allow' } | { outcome: 'deny'; reason: string }> {
  if (callSignal.aborted) throw new ToolError('aborted', name, `${name} was aborted while waiting for a decision on: ${ask.summary}`);
  observer.onAsk?.(ask);
  const waiting = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    waiting.abort(new Error('decision timed out'));
  }, ask.timeoutMs);
  timer.unref?.();
  const onCallAbort = (): void => waiting.abort(callSignal.reason);
  callSignal.addEventListener('abort', onCallAbort, { once: true });
  const stopped = new Promise<never>((_, reject) => {
    waiting.signal.addEventListener('abort', () => reject(waiting.signal.reason), { once: true });
  });
  stopped.catch(() => {});
  try {
    return await Promise.race([ask.wait(waiting.signal), stopped]);
  } catch (error) {
    if (timedOut) {
      return ask.onTimeout === 'allow' ? { outcome: 'allow' } : { outcome: 'deny', reason: `no decision within ${Math.round(ask.timeoutMs / 1000)} s: ${ask.summary}` };
    }
    if (callSignal.aborted) throw new ToolError('aborted', name, `${name} was aborted while waiting for a decision on: ${ask.summary}`, { cause: error });
    // The decision could not be had (the approval store failed): the safe answer is no.
    throw new ToolError('denied', name, `${name} was not approved: ${error instanceof Error ? error.message : 'the decision failed'}`, { cause: error });
  } finally {
    clearTimeout(timer);
    callSignal.removeEventListener('abort', onCallAbort);
    if (!waiting.signal.aborted) waiting.abort(new Error('decided'));
  }
}

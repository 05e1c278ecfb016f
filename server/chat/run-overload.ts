// The two ways a run ends before it ever executed: aborted while it waited, or refused by an
// overloaded gateway (its line was full, or its wait for a run slot ran out).
import { GatewayError } from '../core/gateway-error.js';
import type { Mutable } from '../core/mutable.js';
import type { AgentRunResult } from './run-types.js';
import type { AgentRun } from './agent-run.js';
import type { AdmissionEnd } from './run-admission.js';
import type { RunServices } from './run-executor.js';
import { RunPublisher } from './run-publisher.js';

/** Seconds-scale wait a refused caller is told to come back after. */
export const OVERLOADED_RETRY_AFTER_MS = 2_000;

/** New runs are refused: every slot is busy and the line is full. */
export function overloaded(running: number, waiting: number): GatewayError {
  return new GatewayError('UNAVAILABLE', `the gateway is overloaded (${running} runs going, ${waiting} waiting); retry in a few seconds`, {
    details: { code: 'QUEUE_FULL', overloaded: true, running, waiting },
    retryable: true,
    retryAfterMs: OVERLOADED_RETRY_AFTER_MS,
  });
}

/** Ends a run that never started: announced as chat state aborted, or error when it waited too long. */
export function endUnstarted(run: AgentRun, services: RunServices, end: AdmissionEnd): void {
  const now = Date.now();
  const usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, totalTokens: 0 };
  const publisher = new RunPublisher(services.hub, run.runId, run.sessionKey, run.recipients, services.sessionTools);
  const result: Mutable<AgentRunResult> = {
    runId: run.runId,
    agentId: run.agentId,
    sessionKey: run.sessionKey,
    sessionId: run.sessionId,
    status: 'aborted',
    text: '',
    stopReason: 'aborted',
    pendingToolCalls: [],
    usage,
    model: run.model.ref,
    startedAt: now,
    endedAt: now,
  };
  if (end === 'aborted') {
    publisher.aborted(usage);
  } else {
    const message = 'the gateway was overloaded: the run waited too long for a free run slot; retry in a few seconds';
    publisher.error(message, 'rate_limit', usage);
    result.status = 'error';
    result.stopReason = 'error';
    result.error = { message, kind: 'rate_limit', overloaded: true };
  }
  run.finish(result);
}

// What the OpenAI-compatible handlers need from the gateway: the agents, the agent run API, a log.
import { OVERLOADED_RETRY_AFTER_MS } from '../chat/run-overload.js';
import type { AgentRunHandle, AgentRunRequest, AgentRunResult, StartRunOutcome } from '../chat/run-types.js';
import { GatewayError } from '../core/gateway-error.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import type { ToolCaller } from '../tools/tool-types.js';
import { httpStatusOf } from '../../contract/schemas/errors.js';
import { errorBody, gatewayErrorResponse, jsonResponse } from './http-errors.js';
import type { ModelOverride } from './model-override.js';
import type { OpenAiEndpoint, OpenAiEndpointSettings } from './openai-endpoint-settings.js';
import type { AgentLookup } from './openai-turn-target.js';
import type { StatelessSessions } from './stateless-sessions.js';

/** The model a turn runs with, as far as the image check needs it. */
export interface TurnModel {
  readonly ref: string;
  readonly providerId: string;
  /** The model's declared inputs (`models.providers.<p>.models[].input`); undefined when not declared. */
  readonly input: readonly string[] | undefined;
}

export interface OpenAiRunDeps {
  readonly agents: AgentLookup;
  startRun(request: AgentRunRequest): StartRunOutcome;
  readonly logger: GatewayLogger;
  /** The endpoint's limits under the current config. */
  settings(endpoint: OpenAiEndpoint): OpenAiEndpointSettings;
  /** Checks an `x-openclaw-model` value against the agent's allowed models. */
  modelOverride(header: string, agentId: string): ModelOverride;
  /** The model a turn of this agent and session would use (override, else the session's, else the agent's); undefined when unresolvable. */
  turnModel(agentId: string, sessionKey: string, override: string | undefined): TurnModel | undefined;
  /** Retention of the sessions of requests that named none. */
  readonly statelessSessions: StatelessSessions;
}

/** Shared-secret bearer callers are the owner (docs/http.md "Auth"); the HTTP tool deny list applies. */
export const HTTP_CALLER: ToolCaller = { kind: 'http', id: 'http-bearer' };

/** 503 for a gateway with no room for another run: the type says so, Retry-After says when to come back. */
export function overloadedResponse(message: string, retryAfterMs: number = OVERLOADED_RETRY_AFTER_MS): Response {
  return jsonResponse(503, errorBody('overloaded_error', message, { code: 'overloaded' }), { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) });
}

/** Starts a run; a GatewayError the run API throws (unknown agent, full queue…) becomes an OpenAI error body. */
export function startRunOrRespond(deps: OpenAiRunDeps, request: AgentRunRequest, endpoint: OpenAiEndpoint): StartRunOutcome | Response {
  try {
    return deps.startRun(request);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    if (error.code === 'UNAVAILABLE' && error.details?.code === 'QUEUE_FULL') return overloadedResponse(error.message, error.retryAfterMs);
    return gatewayErrorResponse(endpoint, error.toShape());
  }
}

/** A run that ended without ever executing because no run slot freed up in time. */
export const runOverloaded = (result: AgentRunResult): boolean => result.error?.overloaded === true;

/**
 * Resolves once the run executes (undefined), or with its result when it ends first (it waited for a
 * run slot and was refused, or was aborted): a stream answers 503 instead of opening then failing.
 */
export function untilStarted(run: AgentRunHandle): Promise<AgentRunResult | undefined> {
  if (run.status() !== 'queued') return Promise.resolve(run.result());
  return new Promise((resolve) => {
    const unsubscribe = run.subscribe((event) => {
      if (event.type !== 'start') return;
      unsubscribe();
      resolve(undefined);
    });
    void run.done.then((result) => {
      unsubscribe();
      resolve(result);
    });
  });
}

/** True when the run failed on its own, as opposed to answering (completely or cut short). */
export const runFailed = (result: AgentRunResult): boolean => result.status === 'error' || result.status === 'timeout';

/** A failed run's HTTP status: a timeout is AGENT_TIMEOUT's (504); any other failure INTERNAL's (500, as upstream answers). */
export const runFailureStatus = (result: AgentRunResult): number => httpStatusOf(result.status === 'timeout' ? 'AGENT_TIMEOUT' : 'INTERNAL');

/** A failed run's message for HTTP callers: what happened and what to do, never provider internals. */
export function runFailureMessage(result: AgentRunResult): string {
  if (result.status === 'timeout') return 'The agent run timed out; retry, or raise agents.defaults.timeoutSeconds.';
  return `The agent run failed (${result.error?.kind ?? 'unknown'}); the gateway log has the details.`;
}

export function logRunFailure(deps: OpenAiRunDeps, result: AgentRunResult): void {
  deps.logger.warn('HTTP agent run failed', { runId: result.runId, sessionKey: result.sessionKey, status: result.status, error: result.error?.message });
}

// POST /v1/responses: one agent run per request, answered as a response resource or streamed as
// the named SSE events of docs/http.md "Chat completions and responses". Client tools end the run `incomplete` with function_call
// items; the caller continues with `previous_response_id` and `function_call_output` items.
import { httpStatusOf } from '../../contract/schemas/errors.js';
import type { Context } from 'hono';
import type { ResponseCreateRequest } from '../../contract/schemas/openai-http.js';
import type { AgentRunHandle, AgentRunRequest, AgentRunResult } from '../chat/run-types.js';
import type { ModelMessage } from '../providers/model-types.js';
import { clientToolsOf, toolChoiceOf } from './client-tools.js';
import { responsesTextFormat, samplingOf } from './sampling-options.js';
import { splitConversation, type ConversationTurn } from './conversation-turn.js';
import { errorBody, jsonResponse } from './http-errors.js';
import { responseInputImages } from './image-limits.js';
import { headerOf } from './node-request.js';
import type { RetentionLimits } from './openai-endpoint-settings.js';
import { HTTP_CALLER, logRunFailure, overloadedResponse, runFailed, runFailureMessage, runFailureStatus, runOverloaded, startRunOrRespond, untilStarted, type OpenAiRunDeps } from './openai-run-deps.js';
import { imagesRefused, modelOverrideOf, urlPartsRefused } from './openai-turn-checks.js';
import { inputFileParts, loadInputFiles } from './input-files.js';
import { agentOf, invalidRequest, sessionOf, thinkingOfEffort } from './openai-turn-target.js';
import { ResponseBuilder, responseUsage } from './response-builder.js';
import { MISSING_USER_INPUT, responseInput } from './response-input.js';
import type { ResponseStore, StoredResponse } from './response-store.js';
import { SseStream } from './sse-stream.js';
import type { Mutable } from '../core/mutable.js';

/** Feeds a finished run into the builder: its text (unless streamed already), client tool calls, and the end. */
function finishBuilder(builder: ResponseBuilder, result: AgentRunResult, textAlreadySent: boolean): ReturnType<ResponseBuilder['finish']> {
  if (runFailed(result)) return builder.fail('api_error', runFailureMessage(result), responseUsage(result.usage));
  const events = textAlreadySent ? [] : builder.text(result.text);
  for (const call of result.pendingToolCalls) events.push(...builder.functionCall({ name: call.name, arguments: call.arguments, callId: call.id }));
  events.push(...builder.finish(result.stopReason === 'tool_calls' && result.pendingToolCalls.length > 0 ? 'incomplete' : 'completed', responseUsage(result.usage)));
  return events;
}

/** The conversation a later `previous_response_id` continues from. */
function contextAfter(turn: ConversationTurn, result: AgentRunResult): ModelMessage[] {
  const context: ModelMessage[] = [...turn.priorMessages];
  if (turn.message !== '') context.push({ role: 'user', content: turn.message });
  context.push({ role: 'assistant', content: result.text, ...(result.pendingToolCalls.length ? { toolCalls: result.pendingToolCalls } : {}) });
  return context;
}

function durationText(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 1000)} s`;
}

/** OpenAI's answer to a previous_response_id it does not have, plus what this gateway keeps. */
function previousResponseNotFound(id: string, kept: RetentionLimits): Response {
  const message =
    `Previous response with id "${id.slice(0, 256)}" not found: it is unknown or has expired (the gateway keeps the last ${kept.maxEntries} responses ` +
    `for ${durationText(kept.ttlMs)}; gateway.http.endpoints.responses.storedResponses). Send the whole conversation in \`input\` instead.`;
  return jsonResponse(httpStatusOf('INVALID_REQUEST'), errorBody('invalid_request_error', message, { param: 'previous_response_id', code: 'previous_response_not_found' }));
}

export function createResponsesHandler(deps: OpenAiRunDeps, store: ResponseStore): (c: Context, body: ResponseCreateRequest) => Promise<Response> {
  return async (c, body) => {
    let previous: StoredResponse | undefined;
    if (body.previous_response_id) {
      previous = store.get(body.previous_response_id);
      if (!previous) return previousResponseNotFound(body.previous_response_id, deps.settings('responses').storedResponses);
    }
    const agent = agentOf(c, deps.agents, body.model);
    if (!agent.ok) return agent.response;
    if (previous && previous.agentId !== agent.agentId) {
      return invalidRequest(`previous_response_id belongs to agent "${previous.agentId}"; use model "openclaw/${previous.agentId}" to continue it.`);
    }
    const sessionHeader = headerOf(c, 'x-openclaw-session-key');
    const session = previous && sessionHeader === undefined ? { ok: true as const, sessionKey: previous.sessionKey, fresh: false } : sessionOf(c, agent.agentId, 'openresponses', body.user);
    if (!session.ok) return session.response;
    const model = modelOverrideOf(c, deps, agent.agentId);
    if (!model.ok) return model.response;
    const images = responseInputImages(body.input);
    const refused = imagesRefused(deps, 'responses', images, { agentId: agent.agentId, sessionKey: session.sessionKey, model: model.model });
    if (refused) return refused;
    const fileParts = inputFileParts(body.input);
    const tooManyUrls = urlPartsRefused(deps.settings('responses').maxUrlParts, images, fileParts);
    if (tooManyUrls) return tooManyUrls;
    const thinking = thinkingOfEffort(body.reasoning?.effort, 'reasoning.effort');
    if (!thinking.ok) return thinking.response;
    // Fetching comes after every check that needs no file, so a refused request fetches nothing.
    const files = await loadInputFiles(fileParts, deps.settings('responses').files, c.req.raw.signal);
    if (!files.ok) return jsonResponse(files.status, errorBody(files.status === 413 ? 'payload_too_large' : 'invalid_request_error', files.message, { param: 'input' }));
    const input = responseInput(body, files.files);
    if (!input.ok) return invalidRequest(input.message);
    const split = splitConversation(input.instructions, [...(previous?.context ?? []), ...input.messages], MISSING_USER_INPUT);
    if (!split.ok) return invalidRequest(split.message);
    const { turn } = split;
    const stableSession = previous !== undefined || sessionHeader !== undefined || body.user !== undefined;
    const toolChoice = toolChoiceOf(body.tool_choice);
    const request: Mutable<AgentRunRequest> = { caller: HTTP_CALLER, agentId: agent.agentId, sessionKey: session.sessionKey, message: turn.message, signal: c.req.raw.signal };
    if (turn.instructions) request.extraSystemPrompt = turn.instructions;
    if (turn.priorMessages.length > 0 || !stableSession) request.priorMessages = turn.priorMessages;
    if (body.tools?.length) request.clientTools = clientToolsOf(body.tools);
    if (toolChoice) request.toolChoice = toolChoice;
    if (body.max_output_tokens) request.maxOutputTokens = body.max_output_tokens;
    if (model.model) request.model = model.model;
    if (thinking.level) request.thinking = thinking.level;
    const sampling = samplingOf(body, responsesTextFormat(body.text?.format));
    if (sampling) request.sampling = sampling;
    const started = startRunOrRespond(deps, request, 'responses');
    if (started instanceof Response) return started;
    const builder = new ResponseBuilder(body.model, body.previous_response_id ?? null);
    // A fresh session, or one a previous response continues (the retention ignores named sessions).
    const statelessCandidate = session.fresh || (previous !== undefined && sessionHeader === undefined);
    const remember = (result: AgentRunResult): void => {
      if (statelessCandidate) deps.statelessSessions.touch(session.sessionKey);
      if (runFailed(result)) logRunFailure(deps, result);
      else store.put(builder.id, { agentId: agent.agentId, sessionKey: session.sessionKey, context: contextAfter(turn, result) });
    };
    if (body.stream) {
      const early = await untilStarted(started.run);
      if (early && runOverloaded(early)) return overloadedResponse(early.error!.message);
      return streamResponse(started.run, builder, remember, c.req.raw.signal);
    }
    const result = await started.run.done;
    if (runOverloaded(result)) return overloadedResponse(result.error!.message);
    remember(result);
    finishBuilder(builder, result, false);
    return jsonResponse(runFailed(result) ? runFailureStatus(result) : 200, builder.resource());
  };
}

function streamResponse(run: AgentRunHandle, builder: ResponseBuilder, remember: (result: AgentRunResult) => void, signal: AbortSignal): Response {
  const sse = new SseStream(signal);
  sse.onClose(() => run.abort('client disconnected'));
  const emit = (events: ReturnType<ResponseBuilder['start']>): void => {
    for (const event of events) sse.event(event.type, event);
  };
  emit(builder.start());
  emit(builder.text(run.text()));
  const unsubscribe = run.subscribe((event) => {
    if (event.type === 'text') emit(builder.text(event.delta));
  });
  void run.done.then((result) => {
    unsubscribe();
    remember(result);
    emit(finishBuilder(builder, result, true));
    sse.done();
  });
  return sse.response;
}

// POST /v1/chat/completions: one agent run per request, answered as a chat.completion or streamed
// as chat.completion.chunk lines (role, content…, stop, optional usage, [DONE]). Client `tools` are
// offered to the model beside the agent's own; when it calls one, the turn ends with `tool_calls`
// (finish_reason `tool_calls`) and the client continues with `tool` messages.
import type { Context } from 'hono';
import type { ChatCompletionRequest } from '../../contract/schemas/openai-http.js';
import type { AgentRunHandle, AgentRunRequest, AgentRunStopReason } from '../chat/run-types.js';
import { chatCompletionInput } from './chat-completion-input.js';
import { clientToolsOf, toolChoiceOf } from './client-tools.js';
import { chatResponseFormat, samplingOf } from './sampling-options.js';
import { chatCompletionImages } from './image-limits.js';
import { ChatCompletionBuilder, completionUsage, type FinishReason } from './chat-completion-chunks.js';
import { errorBody, jsonResponse } from './http-errors.js';
import { HTTP_CALLER, logRunFailure, overloadedResponse, runFailed, runFailureMessage, runFailureStatus, runOverloaded, startRunOrRespond, untilStarted, type OpenAiRunDeps } from './openai-run-deps.js';
import { imagesRefused, modelOverrideOf } from './openai-turn-checks.js';
import { invalidRequest, thinkingOfEffort, turnTargetOf } from './openai-turn-target.js';
import { headerOf } from './node-request.js';
import { SseStream } from './sse-stream.js';
import type { Mutable } from '../core/mutable.js';

export function finishReasonOf(stopReason: AgentRunStopReason): FinishReason {
  switch (stopReason) {
    case 'length':
    case 'max_steps':
      return 'length';
    case 'content_filter':
      return 'content_filter';
    case 'tool_calls':
      return 'tool_calls';
    default:
      return 'stop';
  }
}

export function createChatCompletionsHandler(deps: OpenAiRunDeps): (c: Context, body: ChatCompletionRequest) => Promise<Response> {
  return async (c, body) => {
    const target = turnTargetOf(c, deps.agents, body.model, body.user, 'openai');
    if (!target.ok) return target.response;
    const model = modelOverrideOf(c, deps, target.agentId);
    if (!model.ok) return model.response;
    const refused = imagesRefused(deps, 'chatCompletions', chatCompletionImages(body.messages), { agentId: target.agentId, sessionKey: target.sessionKey, model: model.model });
    if (refused) return refused;
    const input = chatCompletionInput(body.messages);
    if (!input.ok) return invalidRequest(input.message);
    const thinking = thinkingOfEffort(body.reasoning_effort, 'reasoning_effort');
    if (!thinking.ok) return thinking.response;
    const { turn } = input;
    const stableSession = headerOf(c, 'x-openclaw-session-key') !== undefined || body.user !== undefined;
    const request: Mutable<AgentRunRequest> = { caller: HTTP_CALLER, agentId: target.agentId, sessionKey: target.sessionKey, message: turn.message, signal: c.req.raw.signal };
    if (turn.instructions) request.extraSystemPrompt = turn.instructions;
    // A client that sends only its new message on a named session relies on the session's memory.
    if (turn.priorMessages.length > 0 || !stableSession) request.priorMessages = turn.priorMessages;
    if (model.model) request.model = model.model;
    if (thinking.level) request.thinking = thinking.level;
    const maxTokens = body.max_completion_tokens ?? body.max_tokens;
    if (maxTokens) request.maxOutputTokens = maxTokens;
    if (body.tools?.length) request.clientTools = clientToolsOf(body.tools.map((t) => t.function));
    const toolChoice = toolChoiceOf(body.tool_choice);
    if (toolChoice) request.toolChoice = toolChoice;
    const sampling = samplingOf(body, chatResponseFormat(body.response_format));
    if (sampling) request.sampling = sampling;
    const started = startRunOrRespond(deps, request, 'chatCompletions');
    if (started instanceof Response) return started;
    // A session nobody can name again is kept only within the stateless retention.
    const ended = target.fresh ? () => deps.statelessSessions.touch(target.sessionKey) : () => {};
    const builder = new ChatCompletionBuilder(body.model ?? 'openclaw');
    if (body.stream) {
      const early = await untilStarted(started.run);
      if (early && runOverloaded(early)) return overloadedResponse(early.error!.message);
      return streamCompletion(deps, started.run, builder, body.stream_options?.include_usage === true, c.req.raw.signal, ended);
    }
    const result = await started.run.done;
    ended();
    if (runOverloaded(result)) return overloadedResponse(result.error!.message);
    if (runFailed(result)) {
      logRunFailure(deps, result);
      return jsonResponse(runFailureStatus(result), errorBody('api_error', runFailureMessage(result)));
    }
    return jsonResponse(200, builder.completion(result.text, finishReasonOf(result.stopReason), completionUsage(result.usage), result.pendingToolCalls));
  };
}

function streamCompletion(deps: OpenAiRunDeps, run: AgentRunHandle, builder: ChatCompletionBuilder, includeUsage: boolean, signal: AbortSignal, ended: () => void): Response {
  const sse = new SseStream(signal);
  sse.onClose(() => run.abort('client disconnected'));
  sse.data(builder.roleChunk());
  const sofar = run.text();
  if (sofar) sse.data(builder.contentChunk(sofar));
  const unsubscribe = run.subscribe((event) => {
    if (event.type === 'text' && event.delta) sse.data(builder.contentChunk(event.delta));
  });
  void run.done.then((result) => {
    unsubscribe();
    ended();
    if (runFailed(result)) {
      logRunFailure(deps, result);
      // The OpenAI SDK raises an APIError for a data line carrying `error`.
      sse.data(errorBody('api_error', runFailureMessage(result)));
    } else {
      if (result.pendingToolCalls.length > 0) sse.data(builder.toolCallsChunk(result.pendingToolCalls));
      sse.data(builder.stopChunk(finishReasonOf(result.stopReason)));
      if (includeUsage) sse.data(builder.usageChunk(completionUsage(result.usage)));
    }
    sse.done();
  });
  return sse.response;
}

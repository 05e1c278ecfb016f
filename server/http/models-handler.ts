// GET /v1/models: every agent as an OpenAI model id (`openclaw`, `openclaw/default`, `openclaw/<agentId>`).
// GET /v1/models/{id}: one of them, or any alias the chat endpoints accept (`openclaw:<id>`,
// `agent:<id>`) for a configured agent; else OpenAI's 404 model_not_found.
import { httpStatusOf } from '../../contract/schemas/errors.js';
import type { Context } from 'hono';
import type { z } from 'zod';
import type { OpenAIModelList } from '../../contract/schemas/openai-http.js';
import { resolveAgentTarget } from './agent-target.js';
import { errorBody, jsonResponse } from './http-errors.js';
import type { AgentLookup } from './openai-turn-target.js';

type ModelList = z.output<typeof OpenAIModelList>;

export function modelList(agents: AgentLookup): ModelList {
  const ids = ['openclaw', 'openclaw/default', ...agents.list().map((a) => `openclaw/${a.id}`)];
  return { object: 'list', data: [...new Set(ids)].map((id) => ({ id, object: 'model', created: 0, owned_by: 'openclaw' })) };
}

export function createModelsHandler(agents: AgentLookup): (c: Context) => Response {
  return () => jsonResponse(200, modelList(agents));
}

const MAX_MODEL_ID = 200;

export function createModelRetrieveHandler(agents: AgentLookup): (c: Context, params: { readonly id: string }) => Response {
  return (_c, { id }) => {
    const target = id.length <= MAX_MODEL_ID ? resolveAgentTarget(id, undefined, agents.defaultId()) : undefined;
    if (target?.ok && agents.get(target.agentId)) return jsonResponse(200, { id, object: 'model', created: 0, owned_by: 'openclaw' });
    const shown = id.length > MAX_MODEL_ID ? `${id.slice(0, MAX_MODEL_ID)}…` : id;
    return jsonResponse(httpStatusOf('NOT_FOUND'), errorBody('invalid_request_error', `The model '${shown}' does not exist; GET /v1/models lists the models you can use.`, { param: 'model', code: 'model_not_found' }));
  };
}

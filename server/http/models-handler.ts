// GET /v1/models: every agent as an OpenAI model id (`openclaw`, `openclaw/default`, `openclaw/<agentId>`).
import type { Context } from 'hono';
import type { z } from 'zod';
import type { OpenAIModelList } from '../../contract/schemas/openai-http.js';
import { jsonResponse } from './http-errors.js';
import type { AgentLookup } from './openai-turn-target.js';

type ModelList = z.output<typeof OpenAIModelList>;

export function modelList(agents: AgentLookup): ModelList {
  const ids = ['openclaw', 'openclaw/default', ...agents.list().map((a) => `openclaw/${a.id}`)];
  return { object: 'list', data: [...new Set(ids)].map((id) => ({ id, object: 'model', created: 0, owned_by: 'openclaw' })) };
}

export function createModelsHandler(agents: AgentLookup): (c: Context) => Response {
  return () => jsonResponse(200, modelList(agents));
}

// tools.catalog (docs/methods.md): the tools a caller may use, grouped, with their argument schemas
// and whether /tools/invoke may call them. Also served over HTTP at GET /tools/catalog.
import { z } from 'zod';
import { AgentId } from './common.js';

export const ToolsCatalogParams = z.strictObject({
  agentId: AgentId.optional(),
  /** Accepted for upstream clients; tools from plugins are listed with the rest. */
  includePlugins: z.boolean().optional(),
});

export const ToolHttpPolicy = z.object({
  /** Whether POST /tools/invoke may call it. */
  allowed: z.boolean(),
  reason: z.string().optional(),
  /** The config key that would change it. */
  configKey: z.string().optional(),
});

export const CatalogTool = z.looseObject({
  id: z.string(),
  label: z.string(),
  description: z.string(),
  source: z.enum(['core', 'plugin']),
  optional: z.boolean().optional(),
  defaultProfiles: z.array(z.string()),
  /** JSON Schema (draft 2020-12) of the arguments. */
  parameters: z.record(z.string(), z.unknown()),
  dangerous: z.boolean(),
  /** Whether an agent run of this agent is offered the tool. */
  agentAllowed: z.boolean(),
  http: ToolHttpPolicy,
});

export const ToolsCatalogResult = z.object({
  agentId: z.string(),
  profiles: z.array(z.object({ id: z.string(), label: z.string() })),
  groups: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      source: z.enum(['core', 'plugin']),
      tools: z.array(CatalogTool),
    }),
  ),
});
export type ToolsCatalogResult = z.infer<typeof ToolsCatalogResult>;

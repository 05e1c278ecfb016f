// Client-side tools of both OpenAI endpoints: the functions a request offers the model, and its
// tool_choice, in the agent run's terms. Chat Completions nests each function under `function`;
// Responses has them flat.
import type { ClientToolDefinition } from '../chat/run-types.js';
import type { Mutable } from '../core/mutable.js';
import type { ModelToolChoice } from '../providers/model-types.js';

interface FunctionSpec {
  readonly name: string;
  readonly description?: string | undefined;
  readonly parameters?: Record<string, unknown> | null | undefined;
}

export function clientToolsOf(functions: readonly FunctionSpec[] | undefined): ClientToolDefinition[] {
  return (functions ?? []).map((f) => {
    const tool: Mutable<ClientToolDefinition> = { name: f.name };
    if (f.description) tool.description = f.description;
    if (f.parameters) tool.parameters = f.parameters;
    return tool;
  });
}

type ToolChoice = 'auto' | 'none' | 'required' | { readonly type: 'function'; readonly name?: unknown; readonly function?: { readonly name?: unknown } };

/** `auto`/`none`/`required`, or one function named flat (`{type, name}`) or nested (`{type, function:{name}}`). */
export function toolChoiceOf(choice: ToolChoice | undefined): ModelToolChoice | undefined {
  if (choice === undefined || typeof choice === 'string') return choice;
  const name = typeof choice.name === 'string' ? choice.name : choice.function?.name;
  return typeof name === 'string' && name ? { name } : undefined;
}

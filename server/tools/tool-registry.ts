// The extension point for agent tools: subsystems register tools and policy hooks here; agent runs
// list what an agent may use and call them; /tools/invoke calls one directly. All errors are ToolErrors.
import { randomUUID } from 'node:crypto';
import { jsonSchemaOf } from '../../contract/json-schema.js';
import { validateUntrusted } from '../core/untrusted-input.js';
import { describeIssues, summarizeIssues } from '../core/zod-issues.js';
import { ToolError } from './tool-error.js';
import type {
  RegisteredToolInfo,
  ToolCallContext,
  ToolDefinition,
  ToolPolicyDecision,
  ToolPolicyHook,
  ToolPolicySubject,
  ToolSpec,
} from './tool-types.js';
import type { ToolAsk } from './tool-types.js';
import { authorizeCall } from './tool-authorization.js';

const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_ARGS_JSON = 1024 * 1024;

interface Entry {
  readonly info: RegisteredToolInfo;
  readonly definition: ToolDefinition<unknown>;
}

/** Options of a direct call (`invoke`). */
export interface ToolInvokeOptions extends ToolPolicySubject {
  readonly toolCallId?: string;
  readonly runId?: string;
  /**
   * Aborts the call. A function is called only when the tool reads `ctx.signal`, so callers whose
   * signal is costly to build (an HTTP request's) pay nothing for tools that never look at it; such
   * a signal is not checked before the tool starts (a tool that ignores its signal cannot be
   * stopped either way).
   */
  readonly signal?: AbortSignal | (() => AbortSignal);
  onUpdate?(partial: unknown): void;
  /** The call is waiting for a decision (the ask outcome); called once per ask, before the wait. */
  onAsk?(ask: ToolAsk): void;
}

export class ToolRegistry {
  private readonly tools = new Map<string, Entry>();
  private readonly hooks: ToolPolicyHook[] = [];

  /** Adds a tool; a second tool with the same name is a programming error. Returns an unregister. */
  register<A>(definition: ToolDefinition<A>): () => void {
    if (!TOOL_NAME.test(definition.name)) throw new Error(`invalid tool name ${JSON.stringify(definition.name)}: use [A-Za-z0-9_-]{1,64}`);
    if (this.tools.has(definition.name)) throw new Error(`tool ${definition.name} is already registered`);
    // The JSON Schema is computed on first use, so registering tools costs nothing at start-up.
    let jsonSchema: Record<string, unknown> | undefined;
    const schema = (): Record<string, unknown> => (jsonSchema ??= jsonSchemaOf(definition.parameters, 'input'));
    const entry: Entry = {
      definition: definition as ToolDefinition<unknown>,
      info: {
        name: definition.name,
        label: definition.label ?? definition.name,
        description: definition.description,
        dangerous: definition.dangerous ?? false,
        group: definition.group,
        get jsonSchema() {
          return schema();
        },
        get acceptsAction() {
          const properties = schema().properties as Record<string, unknown> | undefined;
          return properties !== undefined && 'action' in properties;
        },
      },
    };
    this.tools.set(definition.name, entry);
    return () => {
      if (this.tools.get(definition.name) === entry) this.tools.delete(definition.name);
    };
  }

  /** Adds a policy hook (see ToolPolicyHook). Returns a remover. */
  addPolicy(hook: ToolPolicyHook): () => void {
    this.hooks.push(hook);
    return () => {
      const index = this.hooks.indexOf(hook);
      if (index >= 0) this.hooks.splice(index, 1);
    };
  }

  get(name: string): RegisteredToolInfo | undefined {
    return this.tools.get(name)?.info;
  }

  /** Every registered tool, sorted by name, regardless of policy. */
  list(): RegisteredToolInfo[] {
    return [...this.tools.values()].map((e) => e.info).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The policy decision for one tool and subject (an unknown tool is reported as such, not denied). */
  decide(name: string, subject: ToolPolicySubject): ToolPolicyDecision {
    const entry = this.tools.get(name);
    if (!entry) return { allow: false, reason: `unknown tool ${name}` };
    return this.evaluate(entry.info, subject);
  }

  /** The tools this subject may use, sorted by name. */
  listFor(subject: ToolPolicySubject): RegisteredToolInfo[] {
    return this.list().filter((info) => this.evaluate(info, subject).allow);
  }

  /** Specs to send to the model for the tools this subject may use. */
  specsFor(subject: ToolPolicySubject): ToolSpec[] {
    return this.listFor(subject).map((info) => ({ name: info.name, description: info.description, parameters: info.jsonSchema }));
  }

  /**
   * Everything `invoke` checks, without running the tool (a dry run): lookup, policy, arguments.
   * Returns the validated arguments; throws ToolError `unknown_tool`, `denied` or `invalid_args`.
   */
  check(name: string, args: unknown, subject: ToolPolicySubject): unknown {
    return this.prepare(name, args, subject).args;
  }

  /**
   * Calls one tool: looks it up, checks policy, validates the arguments, runs it.
   * Throws ToolError `unknown_tool`, `denied`, `invalid_args`, `aborted` or `execution_failed`.
   * Returns the tool's raw result.
   */
  async invoke(name: string, args: unknown, options: ToolInvokeOptions): Promise<unknown> {
    const { entry, args: parsedArgs } = this.prepare(name, args, options);
    const given = options.signal;
    if (typeof given === 'object' && given.aborted) throw new ToolError('aborted', name, `${name} was aborted before it started`);
    const ctx = new CallContext(options, options.toolCallId ?? `call_${randomUUID()}`);
    if (entry.definition.authorize) await authorizeCall(entry.definition, parsedArgs, ctx, options);
    try {
      return await entry.definition.run(parsedArgs, ctx);
    } catch (error) {
      if (error instanceof ToolError) throw error;
      if (ctx.signalIfBuilt?.aborted) throw new ToolError('aborted', name, `${name} was aborted`, { cause: error });
      throw new ToolError('execution_failed', name, `${name} failed: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }

  private prepare(name: string, args: unknown, subject: ToolPolicySubject): { entry: Entry; args: unknown } {
    const entry = this.tools.get(name);
    if (!entry) throw new ToolError('unknown_tool', name, `Tool not available: ${name}`);
    const decision = this.evaluate(entry.info, subject);
    if (!decision.allow) {
      throw new ToolError('denied', name, decision.reason, decision.configKey ? { configKey: decision.configKey } : {});
    }
    const parsed = validateUntrusted(entry.definition.parameters, args ?? {});
    if (!parsed.success) {
      const issues = summarizeIssues(parsed.error).map((i) => `${i.path || '(root)'}: ${i.message}`);
      throw new ToolError('invalid_args', name, `invalid arguments for ${name}: ${describeIssues(parsed.error)}`, { issues });
    }
    return { entry, args: parsed.data };
  }

  private evaluate(info: RegisteredToolInfo, subject: ToolPolicySubject): ToolPolicyDecision {
    for (const hook of this.hooks) {
      const decision = hook(info, subject);
      if (decision && !decision.allow) return decision;
    }
    return { allow: true };
  }
}

/**
 * What a tool's `run` gets. A class, not an object literal with a getter: V8 builds a fresh hidden
 * class for every literal whose accessor closes over call state, and those pile up in the old
 * generation. The signal is built on first read; an AbortController costs ~3 µs and GC pressure
 * that most tools never need.
 */
class CallContext implements ToolCallContext {
  readonly agentId: string;
  readonly caller: ToolCallContext['caller'];
  readonly sessionKey?: string;
  readonly runId?: string;
  readonly onUpdate?: (partial: unknown) => void;
  private built: AbortSignal | undefined;

  constructor(
    private readonly options: ToolInvokeOptions,
    readonly toolCallId: string,
  ) {
    this.agentId = options.agentId;
    this.caller = options.caller;
    if (options.sessionKey !== undefined) this.sessionKey = options.sessionKey;
    if (options.runId !== undefined) this.runId = options.runId;
    if (options.onUpdate) this.onUpdate = options.onUpdate;
    if (typeof options.signal === 'object') this.built = options.signal;
  }

  get signal(): AbortSignal {
    const given = this.options.signal;
    return (this.built ??= typeof given === 'function' ? given() : new AbortController().signal);
  }

  /** The signal if anything has read it (or the caller passed one), else undefined. */
  get signalIfBuilt(): AbortSignal | undefined {
    return this.built;
  }
}

/** Parses model-produced argument JSON for a tool call (empty means no arguments). */
export function parseToolArguments(name: string, json: string): unknown {
  if (json.length > MAX_ARGS_JSON) throw new ToolError('invalid_args', name, `arguments for ${name} exceed ${MAX_ARGS_JSON} bytes`);
  if (json.trim() === '') return {};
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw new ToolError('invalid_args', name, `arguments for ${name} are not valid JSON`);
  }
}

export { toolResultText } from './tool-result.js';

// What a tool is and what it is told when called. Subsystems (sessions, exec, memory, browser,
// cron…) register tools of this shape with the ToolRegistry; agent runs and /tools/invoke call them.
import type { z } from 'zod';
import type { OperatorScope } from '../../contract/define.js';

/** Who asks for the tool: the model inside an agent run, an HTTP client, a WS client, or gateway code. */
export type ToolCallerKind = 'agent' | 'http' | 'ws' | 'internal';

export interface ToolCaller {
  readonly kind: ToolCallerKind;
  /** Connection id, HTTP auth subject or similar; informational, shown in logs. */
  readonly id?: string;
  /** The caller's operator scopes when it has them (ws/http callers). */
  readonly scopes?: ReadonlySet<OperatorScope>;
}

/** The subject a policy decision is about. */
export interface ToolPolicySubject {
  readonly agentId: string;
  readonly caller: ToolCaller;
  readonly sessionKey?: string;
}

/** Passed to `run`. Services a tool needs come from the closure that built it, not from here. */
export interface ToolCallContext extends ToolPolicySubject {
  readonly toolCallId: string;
  /** The agent run the call belongs to, when the model made it. */
  readonly runId?: string;
  /** Aborted when the run is aborted or the HTTP request goes away; long tools must honour it. */
  readonly signal: AbortSignal;
  /** Streams a partial result (becomes an `agent` tool event with phase `update`). */
  onUpdate?(partial: unknown): void;
}

/**
 * A tool. `parameters` is a zod schema: arguments are validated with it before `run`, and the
 * model sees its JSON Schema. `run` returns any JSON-serialisable value: /tools/invoke returns it
 * as is, the model gets it as text (strings verbatim, anything else as JSON). A `ToolContent`
 * (tool-result.ts) gives text and image blocks for the model and a `meta` for tool events.
 */
export interface ToolDefinition<Args = unknown> {
  /** `[A-Za-z0-9_-]{1,64}` (the function-name rule of OpenAI-compatible APIs). */
  readonly name: string;
  readonly label?: string;
  readonly description: string;
  readonly parameters: z.ZodType<Args>;
  /** Runs commands, writes files, spawns work or changes the gateway: denied over HTTP by default. */
  readonly dangerous?: boolean;
  /** Catalogue group, e.g. `sessions`, `exec`, `memory`; policies may name `group:<id>`. */
  readonly group?: string;
  /**
   * The per-call policy, asked with the validated arguments before `run` (after the registry's
   * static hooks allowed the tool): allow, deny, or ask — the call waits for a decision (an exec
   * approval) while the run is suspended, honouring abort and the ask's timeout.
   */
  authorize?(args: Args, ctx: ToolCallContext): ToolAuthorization | Promise<ToolAuthorization>;
  run(args: Args, ctx: ToolCallContext): unknown | Promise<unknown>;
}

/** A per-call decision. */
export type ToolAuthorization =
  | { readonly outcome: 'allow' }
  | { readonly outcome: 'deny'; readonly reason: string; readonly configKey?: string }
  | { readonly outcome: 'ask'; readonly ask: ToolAsk };

/** A call waiting for someone to decide (the third policy outcome). */
export interface ToolAsk {
  /** Identifies the pending decision (an approval id), shown in events. */
  readonly id: string;
  /** What is being asked, for events and logs (e.g. the command line). */
  readonly summary: string;
  /** How long to wait before `onTimeout` applies. */
  readonly timeoutMs: number;
  /** The decision when nobody answers in time (default deny). */
  readonly onTimeout?: 'allow' | 'deny';
  /**
   * Waits for the decision. It must settle when `signal` aborts (the run was aborted, the caller
   * left, or the timeout passed) — the registry stops waiting then either way.
   */
  wait(signal: AbortSignal): Promise<{ readonly outcome: 'allow' } | { readonly outcome: 'deny'; readonly reason: string }>;
}

/** What the model is told about a tool (OpenAI `function` shape without the wrapper). */
export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly parameters: Record<string, unknown>;
}

export type ToolPolicyDecision =
  | { readonly allow: true }
  | {
      readonly allow: false;
      /** Shown to the caller; says what to change. */
      readonly reason: string;
      /** The config key that would allow the tool, when there is one. */
      readonly configKey?: string;
    };

/**
 * A policy hook. Returns a decision, or undefined to have no opinion. The registry asks every hook
 * in registration order; the first `allow:false` wins, otherwise the tool is allowed.
 */
export type ToolPolicyHook = (tool: RegisteredToolInfo, subject: ToolPolicySubject) => ToolPolicyDecision | undefined;

/** The registry's read-only view of a tool. */
export interface RegisteredToolInfo {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly dangerous: boolean;
  readonly group: string | undefined;
  /** JSON Schema of the arguments (draft 2020-12, computed once). */
  readonly jsonSchema: Record<string, unknown>;
  /** True when the schema has a top-level `action` property (/tools/invoke merges `action` into args). */
  readonly acceptsAction: boolean;
}

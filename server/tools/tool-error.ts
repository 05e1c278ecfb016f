// Typed failures of a tool lookup or call, so every front end (agent loop, /tools/invoke, WS) maps
// them to its own error shape without parsing messages.
export type ToolErrorKind = 'unknown_tool' | 'denied' | 'invalid_args' | 'execution_failed' | 'aborted';

/** Suggested HTTP status per kind (/tools/invoke). */
export const TOOL_ERROR_HTTP_STATUS: Readonly<Record<ToolErrorKind, number>> = {
  unknown_tool: 404,
  denied: 403,
  invalid_args: 400,
  execution_failed: 500,
  aborted: 499,
};

export class ToolError extends Error {
  readonly kind: ToolErrorKind;
  readonly toolName: string;
  /** For `denied`: the config key that would allow the tool. */
  readonly configKey: string | undefined;
  /** For `invalid_args`: `path: problem` strings. */
  readonly issues: readonly string[];

  constructor(
    kind: ToolErrorKind,
    toolName: string,
    message: string,
    options: { configKey?: string; issues?: readonly string[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ToolError';
    this.kind = kind;
    this.toolName = toolName;
    this.configKey = options.configKey;
    this.issues = options.issues ?? [];
  }
}

export const isToolError = (error: unknown): error is ToolError => error instanceof ToolError;

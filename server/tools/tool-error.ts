// Typed failures of a tool lookup or call, so every front end (agent loop, /tools/invoke, WS) maps
// them to its own error shape without parsing messages.
import type { ErrorCode } from '../../contract/schemas/errors.js';

export type ToolErrorKind = 'unknown_tool' | 'denied' | 'invalid_args' | 'execution_failed' | 'aborted';

/** The gateway error code of each kind; its HTTP status comes from the error table (/tools/invoke). */
export const TOOL_ERROR_CODE: Readonly<Record<ToolErrorKind, ErrorCode>> = {
  unknown_tool: 'NOT_FOUND',
  denied: 'FORBIDDEN',
  invalid_args: 'INVALID_REQUEST',
  execution_failed: 'INTERNAL',
  aborted: 'CANCELLED',
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

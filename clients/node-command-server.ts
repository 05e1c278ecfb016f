// A node's side of node.invoke: answers each `node.invoke.request` with `node.invoke.result`,
// running the handler registered for its command (params decoded from paramsJSON, the request's
// timeout as an abort signal). Unknown commands answer UNAVAILABLE "command not supported".
import type { OpenClawClient } from './openclaw-client.js';
import { serveRequests, ServeError, type ServeOutcome } from './runtime/request-serving.js';

export interface NodeInvokeRequest {
  readonly id: string;
  readonly nodeId: string;
  readonly command: string;
  readonly paramsJSON?: string;
  readonly timeoutMs?: number;
  readonly idempotencyKey?: string;
}

export type NodeCommandHandler = (params: unknown, ctx: { readonly signal: AbortSignal; readonly request: NodeInvokeRequest }) => unknown;

function decode(paramsJSON: string | undefined): unknown {
  if (paramsJSON === undefined) return {};
  try {
    return JSON.parse(paramsJSON) as unknown;
  } catch {
    throw new ServeError('INVALID_REQUEST', 'paramsJSON is not valid JSON');
  }
}

function reply(request: NodeInvokeRequest, outcome: ServeOutcome): Record<string, unknown> {
  const params: Record<string, unknown> = { id: request.id, nodeId: request.nodeId, ok: outcome.ok };
  if (outcome.ok) {
    if (outcome.value !== undefined) params.payloadJSON = JSON.stringify(outcome.value);
  } else {
    params.error = { code: outcome.error.code, message: outcome.error.message.slice(0, 8192) || 'failed' };
    if (outcome.payload !== undefined) params.payloadJSON = JSON.stringify(outcome.payload);
  }
  return params;
}

/** Serves the commands in `handlers` on a client connected with role `node`. Returns a stop function. */
export function serveNodeCommands(client: OpenClawClient, handlers: Readonly<Record<string, NodeCommandHandler>>, options: { onAnswerFailed?: (request: NodeInvokeRequest, error: unknown) => void } = {}): () => void {
  return client.serve<NodeInvokeRequest>('node.invoke.request', {
    answer: 'node.invoke.result',
    idOf: (r) => (typeof r?.id === 'string' ? r.id : undefined),
    timeoutMsOf: (r) => r.timeoutMs,
    handle: (request, signal) => {
      const handler = Object.hasOwn(handlers, request.command) ? handlers[request.command] : undefined;
      if (!handler) throw new ServeError('UNAVAILABLE', `command not supported: ${request.command}`);
      return handler(decode(request.paramsJSON), { signal, request });
    },
    reply,
    ...(options.onAnswerFailed ? { onAnswerFailed: options.onAnswerFailed } : {}),
  });
}

export { ServeError as NodeCommandError };

// Builds one Responses API response: its resource, and the SSE event sequence of docs/http.md "Chat completions and responses"
// (created, in_progress, output_item/content_part/output_text events, completed or failed).
// The JSON answer is the same builder's final resource, so both modes agree by construction.
import { randomUUID } from 'node:crypto';
import type { ResponseOutputItem, ResponseResource, ResponseStreamEvent } from '../../contract/schemas/openai-http.js';

export interface ResponseUsage {
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly total_tokens: number;
}

export interface FunctionCallInput {
  readonly name: string;
  readonly arguments: string;
  readonly callId?: string;
}

type MessageItem = Extract<ResponseOutputItem, { type: 'message' }>;
type Status = ResponseResource['status'];

const ZERO_USAGE: ResponseUsage = { input_tokens: 0, output_tokens: 0, total_tokens: 0 };

export function responseUsage(usage: { input?: number; output?: number; totalTokens?: number } | undefined): ResponseUsage {
  const input = usage?.input ?? 0;
  const output = usage?.output ?? 0;
  return { input_tokens: input, output_tokens: output, total_tokens: usage?.totalTokens ?? input + output };
}

export class ResponseBuilder {
  readonly id = `resp_${randomUUID()}`;
  private readonly createdAt = Math.floor(Date.now() / 1000);
  private readonly output: ResponseOutputItem[] = [];
  private status: Status = 'in_progress';
  private usage: ResponseUsage = ZERO_USAGE;
  private error: { code: string; message: string } | null = null;
  private sequence = 0;
  /** The message item receiving text, while it is open. */
  private openText: { index: number; item: MessageItem; text: string } | undefined;

  constructor(
    private readonly model: string,
    private readonly previousResponseId: string | null = null,
  ) {}

  resource(): ResponseResource {
    return {
      id: this.id,
      object: 'response',
      created_at: this.createdAt,
      status: this.status,
      model: this.model,
      output: this.output.map((item) => structuredClone(item)),
      usage: this.usage,
      error: this.error,
      previous_response_id: this.previousResponseId,
    };
  }

  start(): ResponseStreamEvent[] {
    return [this.lifecycle('response.created'), this.lifecycle('response.in_progress')];
  }

  text(delta: string): ResponseStreamEvent[] {
    if (!delta) return [];
    const events = this.openText ? [] : this.openMessage();
    const open = this.openText!;
    open.text += delta;
    events.push(Object.assign({ type: 'response.output_text.delta' as const }, this.partRef(open), { delta, sequence_number: this.next() }));
    return events;
  }

  functionCall(call: FunctionCallInput): ResponseStreamEvent[] {
    const events = this.closeMessage();
    const id = `call_${randomUUID()}`;
    const item: ResponseOutputItem = { type: 'function_call', id, call_id: call.callId ?? id, name: call.name, arguments: call.arguments, status: 'completed' };
    const index = this.output.push(item) - 1;
    events.push(
      { type: 'response.output_item.added', output_index: index, item: structuredClone(item), sequence_number: this.next() },
      { type: 'response.output_item.done', output_index: index, item: structuredClone(item), sequence_number: this.next() },
    );
    return events;
  }

  /** `incomplete` when the run stopped on a client tool call; an answer with no text still gets a message. */
  finish(status: 'completed' | 'incomplete', usage: ResponseUsage): ResponseStreamEvent[] {
    const events = this.output.length === 0 ? this.openMessage() : [];
    events.push(...this.closeMessage());
    this.status = status;
    this.usage = usage;
    events.push(this.lifecycle('response.completed'));
    return events;
  }

  fail(code: string, message: string, usage: ResponseUsage = this.usage): ResponseStreamEvent[] {
    const events = this.closeMessage();
    this.status = 'failed';
    this.usage = usage;
    this.error = { code, message };
    events.push(this.lifecycle('response.failed'));
    return events;
  }

  private openMessage(): ResponseStreamEvent[] {
    const item: MessageItem = { type: 'message', id: `msg_${randomUUID()}`, role: 'assistant', content: [], status: 'in_progress' };
    const index = this.output.push(item) - 1;
    this.openText = { index, item, text: '' };
    const ref = this.partRef(this.openText);
    return [
      { type: 'response.output_item.added', output_index: index, item: structuredClone(item), sequence_number: this.next() },
      Object.assign({ type: 'response.content_part.added' as const }, ref, { part: { type: 'output_text' as const, text: '', annotations: [] }, sequence_number: this.next() }),
    ];
  }

  private closeMessage(): ResponseStreamEvent[] {
    const open = this.openText;
    if (!open) return [];
    this.openText = undefined;
    const part = { type: 'output_text' as const, text: open.text, annotations: [] };
    open.item.content = [part];
    open.item.status = 'completed';
    const ref = this.partRef(open);
    return [
      Object.assign({ type: 'response.output_text.done' as const }, ref, { text: open.text, sequence_number: this.next() }),
      Object.assign({ type: 'response.content_part.done' as const }, ref, { part: structuredClone(part), sequence_number: this.next() }),
      { type: 'response.output_item.done', output_index: open.index, item: structuredClone(open.item), sequence_number: this.next() },
    ];
  }

  private partRef(open: { index: number; item: MessageItem }): { item_id: string; output_index: number; content_index: number } {
    return { item_id: open.item.id, output_index: open.index, content_index: 0 };
  }

  private lifecycle(type: 'response.created' | 'response.in_progress' | 'response.completed' | 'response.failed'): ResponseStreamEvent {
    return { type, response: this.resource(), sequence_number: this.next() };
  }

  private next(): number {
    return this.sequence++;
  }
}

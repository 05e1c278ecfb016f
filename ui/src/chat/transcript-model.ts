// A transcript as the chat shows it: user and assistant turns, each assistant turn with its tool
// calls folded in beside their results (matched by tool call id), and the live run's steps.
import type { TranscriptMessage } from '../../../contract/schemas/common.js';

export interface ToolStep {
  readonly id: string;
  readonly name: string;
  args: unknown;
  status: 'running' | 'awaiting' | 'done' | 'error';
  result?: string;
  /** The pending exec approval this step waits for. */
  askId?: string;
  summary?: string;
}

export interface ChatItem {
  readonly key: string;
  readonly role: 'user' | 'assistant' | 'system';
  readonly text: string;
  readonly images: readonly string[];
  readonly tools: readonly ToolStep[];
  readonly timestamp: number | undefined;
}

type Block = { type: string; text?: string; [key: string]: unknown };

const blocksOf = (m: TranscriptMessage): Block[] => (typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : (m.content as Block[]));

const textOf = (blocks: readonly Block[]): string =>
  blocks
    .filter((b) => b.type === 'text' && typeof b.text === 'string')
    .map((b) => b.text)
    .join('\n');

function imageOf(block: Block): string | undefined {
  if (block.type !== 'image') return undefined;
  if (typeof block.url === 'string' && /^data:image\/(png|jpeg|gif|webp);base64,/.test(block.url)) return block.url;
  const data = typeof block.data === 'string' ? block.data : typeof block.content === 'string' ? block.content : undefined;
  const mime = typeof block.mimeType === 'string' ? block.mimeType : 'image/png';
  return data && /^image\/(png|jpeg|gif|webp)$/.test(mime) ? `data:${mime};base64,${data}` : undefined;
}

export function toChatItems(messages: readonly TranscriptMessage[]): ChatItem[] {
  const items: ChatItem[] = [];
  const steps = new Map<string, ToolStep>();
  messages.forEach((m, index) => {
    const blocks = blocksOf(m);
    const record = m as TranscriptMessage & { toolCallId?: unknown; toolName?: unknown; isError?: unknown; id?: unknown };
    if (m.role === 'toolResult' || m.role === 'tool') {
      const id = typeof record.toolCallId === 'string' ? record.toolCallId : `result-${index}`;
      const result = textOf(blocks);
      const step = steps.get(id);
      if (step) {
        step.result = result;
        step.status = record.isError === true ? 'error' : 'done';
        return;
      }
      const orphan: ToolStep = { id, name: typeof record.toolName === 'string' ? record.toolName : 'tool', args: undefined, status: record.isError === true ? 'error' : 'done', result };
      items.push({ key: `m${index}`, role: 'assistant', text: '', images: [], tools: [orphan], timestamp: m.timestamp });
      return;
    }
    const tools: ToolStep[] = [];
    for (const b of blocks) {
      if (b.type !== 'toolCall' && b.type !== 'tool_use') continue;
      const id = typeof b.id === 'string' ? b.id : `call-${index}-${tools.length}`;
      const step: ToolStep = { id, name: typeof b.name === 'string' ? b.name : 'tool', args: b.arguments ?? b.input, status: 'running' };
      steps.set(id, step);
      tools.push(step);
    }
    const images = blocks.map(imageOf).filter((x): x is string => !!x);
    const role = m.role === 'user' ? 'user' : m.role === 'system' ? 'system' : 'assistant';
    items.push({ key: typeof record.id === 'string' ? record.id : `m${index}`, role, text: textOf(blocks), images, tools, timestamp: m.timestamp });
  });
  // A call whose result never came (the run ended first) is shown as done, without a result.
  for (const step of steps.values()) if (step.status === 'running') step.status = 'done';
  return items;
}

export function formatToolValue(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

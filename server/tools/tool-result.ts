// How a tool's raw result reaches the model. Most tools return a JSON value (shown as text); a
// tool that has something to show returns a ToolContent — upstream's `{content, details}` result:
// text and image blocks for the model, details for HTTP callers, and a `meta` summary for tool events.

export interface ToolTextBlock {
  readonly type: 'text';
  readonly text: string;
}

export interface ToolImageBlock {
  readonly type: 'image';
  /** Base64 bytes. */
  readonly data: string;
  readonly mimeType: string;
}

export type ToolContentBlock = ToolTextBlock | ToolImageBlock;

/** A result with content blocks. Serialises (`/tools/invoke`, verbose events) as `{content, details}`. */
export class ToolContent {
  constructor(
    readonly content: readonly ToolContentBlock[],
    readonly details: unknown,
    /** A short summary for operators, sent with the tool's result event (an action and its target). */
    readonly meta?: Record<string, unknown>,
  ) {}

  toJSON(): { content: readonly ToolContentBlock[]; details: unknown } {
    return { content: this.content, details: this.details };
  }
}

/** The text the model gets for a result (strings verbatim, a ToolContent's text blocks, anything else as JSON). */
export function toolResultText(result: unknown): string {
  if (typeof result === 'string') return result;
  if (result === undefined) return '';
  if (result instanceof ToolContent) {
    let text = '';
    for (const block of result.content) if (block.type === 'text') text += text ? `\n${block.text}` : block.text;
    return text;
  }
  try {
    return JSON.stringify(result) ?? '';
  } catch {
    return String(result);
  }
}

/** The images of a result, as data URLs; empty for anything but a ToolContent with images. */
export function toolResultImages(result: unknown): string[] {
  if (!(result instanceof ToolContent)) return [];
  const images: string[] = [];
  for (const block of result.content) if (block.type === 'image') images.push(`data:${block.mimeType};base64,${block.data}`);
  return images;
}

/** The operator summary of a result, when the tool gave one. */
export const toolResultMeta = (result: unknown): Record<string, unknown> | undefined => (result instanceof ToolContent ? result.meta : undefined);

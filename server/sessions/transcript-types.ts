// The transcript line shapes, in upstream's JSONL layout: a `session` header, then `message`
// entries (user / assistant / toolResult) and `compaction` entries, linked by parentId.
export interface TextBlock {
  readonly type: 'text';
  readonly text: string;
}

export interface ToolCallBlock {
  readonly type: 'toolCall';
  readonly id: string;
  readonly name: string;
  readonly arguments: unknown;
}

export interface ImageBlock {
  readonly type: 'image';
  readonly mimeType?: string;
  readonly data?: string;
  readonly url?: string;
}

/** Tokens (input excludes cache reads) and, when the model has a price, the cost in USD. */
export interface StoredUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  totalTokens: number;
  cost?: { input: number; output: number; cacheRead: number; cacheWrite: number; total: number };
}

export type StoredMessage =
  | { readonly role: 'user'; readonly content: readonly (TextBlock | ImageBlock)[]; readonly timestamp: number }
  | {
      readonly role: 'assistant';
      readonly content: readonly (TextBlock | ToolCallBlock | { type: 'thinking'; thinking: string })[];
      readonly timestamp: number;
      readonly api?: string;
      readonly provider?: string;
      readonly model?: string;
      readonly usage?: StoredUsage;
      /** stop, length, toolUse, error, aborted. */
      readonly stopReason?: string;
      readonly errorMessage?: string;
      /** Set on chat.inject entries. */
      readonly label?: string;
    }
  | {
      readonly role: 'toolResult';
      readonly toolCallId: string;
      readonly toolName: string;
      readonly content: readonly TextBlock[];
      readonly isError: boolean;
      readonly timestamp: number;
    };

export interface SessionHeaderEntry {
  readonly type: 'session';
  readonly version: number;
  readonly id: string;
  readonly timestamp: string;
  readonly cwd: string;
  /** This gateway's addition: the session key, to rebuild an index entry lost in a crash. */
  readonly sessionKey?: string;
}

export interface MessageEntry {
  readonly type: 'message';
  readonly id: string;
  readonly parentId: string | null;
  readonly timestamp: string;
  readonly message: StoredMessage;
}

export interface CompactionEntry {
  readonly type: 'compaction';
  readonly id: string;
  readonly parentId: string | null;
  readonly timestamp: string;
  readonly summary: string;
  /** Entries before this one are replaced by the summary when the prompt is built. */
  readonly firstKeptEntryId: string | null;
  readonly tokensBefore?: number;
}

/** Other entry types upstream writes (model_change, custom…) are kept and ignored. */
export interface OtherEntry {
  readonly type: string;
  readonly id?: string;
  readonly [key: string]: unknown;
}

export type TranscriptEntry = SessionHeaderEntry | MessageEntry | CompactionEntry | OtherEntry;

export const isMessageEntry = (e: TranscriptEntry): e is MessageEntry =>
  e.type === 'message' && typeof (e as MessageEntry).message === 'object' && (e as MessageEntry).message !== null;

export const isCompactionEntry = (e: TranscriptEntry): e is CompactionEntry =>
  e.type === 'compaction' && typeof (e as CompactionEntry).summary === 'string';

/** Plain text of a stored message (text blocks joined). */
export function messageText(message: StoredMessage): string {
  let out = '';
  for (const block of message.content) {
    if (block.type === 'text') out += out ? `\n${(block as TextBlock).text}` : (block as TextBlock).text;
  }
  return out;
}

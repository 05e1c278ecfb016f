// Prints one streamed reply: the text as it grows (cumulative deltas turned into increments),
// tool steps on their own dim lines, and the end of the reply however the run ended.
import type { ChatStreamItem } from '../../../clients/runtime/chat-stream.js';
import type { GatewayEvents } from '../../../generated/clients/method-map.js';
import type { Colors } from '../client/terminal-style.js';
import { messageText } from './transcript-text.js';

type AgentEvent = GatewayEvents['agent'];

export interface ReplyPrinterIo {
  write(text: string): void;
  readonly color: Colors;
}

const argsPreview = (args: unknown): string => {
  if (args === undefined) return '';
  const text = typeof args === 'string' ? args : JSON.stringify(args);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
};

export class ReplyPrinter {
  /** The reply text printed so far (the prefix of the cumulative text). */
  private printed = '';
  private midLine = false;
  private started = false;

  constructor(
    private readonly io: ReplyPrinterIo,
    private readonly label: string,
  ) {}

  /** Whether anything of the reply (text or a tool line) has been printed. */
  get hasOutput(): boolean {
    return this.started;
  }

  private begin(): void {
    if (this.started) return;
    this.started = true;
    this.io.write(`${this.io.color.green(this.label)} `);
    this.midLine = true;
  }

  private text(full: string): void {
    if (!full) return;
    this.begin();
    if (full.startsWith(this.printed)) {
      const rest = full.slice(this.printed.length);
      if (rest) {
        this.io.write(rest);
        this.midLine = !rest.endsWith('\n');
      }
    } else {
      // The model rewrote its text: start the reply again on a fresh line.
      this.io.write(`${this.midLine ? '\n' : ''}${this.io.color.dim('(rewritten)')}\n${full}`);
      this.midLine = !full.endsWith('\n');
    }
    this.printed = full;
  }

  private sideLine(text: string): void {
    this.begin();
    this.io.write(`${this.midLine ? '\n' : ''}${this.io.color.dim(text)}\n`);
    this.midLine = false;
  }

  /** A `chat` delta or the final event of the run. */
  onChat(item: ChatStreamItem): void {
    if (item.state === 'delta') this.text(messageText(item.message));
    else if (item.message) this.text(messageText(item.message));
  }

  /** An `agent` event of the run: tool steps (with the tool-events cap) and approval waits. */
  onAgent(event: AgentEvent): void {
    if (event.stream !== 'tool') return;
    const d = event.data;
    if (d.phase === 'start') this.sideLine(`⚙ ${d.name} ${argsPreview(d.args)}`.trimEnd());
    else if (d.phase === 'update') {
      const partial = d.partialResult as { status?: unknown; summary?: unknown } | undefined;
      if (partial?.status === 'awaiting_decision') this.sideLine(`⏸ ${d.name} waits for approval${typeof partial.summary === 'string' ? `: ${partial.summary}` : ''} ("openclaw approvals watch" decides)`);
    } else if (d.phase === 'result' && d.isError) this.sideLine(`✗ ${d.name} failed`);
  }

  /** Ends the reply's line; `note` (aborted, failed…) goes after it. */
  finish(note?: string): void {
    if (this.midLine) this.io.write('\n');
    this.midLine = false;
    if (note) this.io.write(`${note}\n`);
  }
}

// One output stream of a command, bounded: the first three quarters of the budget and the last
// quarter are kept, the middle is replaced by a marker saying how much was cut. Text is decoded
// as UTF-8 across chunk boundaries.
import { StringDecoder } from 'node:string_decoder';

export class OutputCapture {
  private head = '';
  private tail = '';
  private dropped = 0;
  private total = 0;
  private readonly decoder = new StringDecoder('utf8');
  private readonly headMax: number;
  private readonly tailMax: number;

  constructor(maxChars: number) {
    this.headMax = Math.floor((maxChars * 3) / 4);
    this.tailMax = maxChars - this.headMax;
  }

  /** Adds a chunk; returns its decoded text (for streaming). */
  push(chunk: Buffer): string {
    const text = this.decoder.write(chunk);
    this.append(text);
    return text;
  }

  finish(): string {
    const rest = this.decoder.end();
    if (rest) this.append(rest);
    return rest;
  }

  private append(text: string): void {
    this.total += text.length;
    const room = this.headMax - this.head.length;
    if (room > 0) {
      this.head += text.slice(0, room);
      text = text.slice(room);
    }
    if (!text) return;
    this.tail += text;
    if (this.tail.length > this.tailMax) {
      this.dropped += this.tail.length - this.tailMax;
      this.tail = this.tail.slice(this.tail.length - this.tailMax);
    }
  }

  /** Characters cut from the middle. */
  get truncated(): number {
    return this.dropped;
  }

  get length(): number {
    return this.total;
  }

  text(): string {
    if (this.dropped === 0) return this.head + this.tail;
    return `${this.head}\n…[output truncated: ${this.dropped} characters omitted]…\n${this.tail}`;
  }
}

// `openclaw chat`: an interactive chat with an agent in the terminal. Replies stream as they are
// written; Ctrl-C aborts the reply being written, Ctrl-C with nothing running (or Ctrl-D, /exit)
// leaves. Lines piped on stdin are sent one after another.
import { createInterface, type Interface } from 'node:readline';
import type { OpenClawClient } from '../../../clients/openclaw-client.js';
import { GatewayError } from '../../../clients/runtime/gateway-error.js';
import { clientOptionsHelp, runClientCommand } from '../client/client-command.js';
import type { CliOutput } from '../client/cli-output.js';
import { connectGateway } from '../client/gateway-connection.js';
import { describeCallError } from '../client/gateway-failure.js';
import { usageWithMethods } from '../client/method-docs.js';
import { startProgress } from '../client/progress-spinner.js';
import { ReplyPrinter } from './chat-reply-printer.js';

const USAGE = `Usage: openclaw chat [--session <key>] [--agent <id>] [--thinking <level>] [options]

An interactive chat with an agent. Replies stream as they are written, tool steps show on their
own lines. Ctrl-C aborts the reply being written; Ctrl-C at an empty prompt, Ctrl-D or /exit
leaves. Lines piped on stdin are sent one after another.

Options:
  --session <key>     the session (default: main, the agent's main session)
  --agent <id>        the agent (default: the default agent)
  --thinking <level>  thinking level for every turn

${clientOptionsHelp('  --timeout <ms>     how long to wait for the gateway to connect (default 10000)')}`;

interface ChatSettings {
  readonly sessionKey: string;
  readonly agentId: string | undefined;
  readonly thinking: string | undefined;
}

class ChatLoop {
  private readonly queue: string[] = [];
  private running: AbortController | undefined;
  private busy = false;
  private closed = false;
  private finished!: (code: number) => void;
  readonly done = new Promise<number>((resolve) => (this.finished = resolve));
  private readonly rl: Interface;
  private readonly tty: boolean;

  constructor(
    private readonly client: OpenClawClient,
    private readonly out: CliOutput,
    private readonly settings: ChatSettings,
  ) {
    this.tty = process.stdin.isTTY === true && process.stdout.isTTY === true;
    this.rl = createInterface({ input: process.stdin, output: process.stdout, terminal: this.tty, prompt: this.tty ? `${out.color.cyan('you ›')} ` : '' });
    this.rl.on('line', (line) => this.onLine(line));
    this.rl.on('SIGINT', () => this.onInterrupt());
    this.rl.on('close', () => {
      this.closed = true;
      if (!this.busy) this.end(0);
    });
    // Not a terminal: SIGINT arrives as a signal, not through readline.
    if (!this.tty) process.on('SIGINT', () => this.onInterrupt());
    client.on('reconnecting', ({ delayMs }) => this.note(`connection lost; reconnecting in ${Math.round(delayMs / 100) / 10}s…`));
    client.on('ready', ({ reconnected }) => reconnected && this.note('reconnected'));
    client.on('paused', ({ reason }) => {
      this.note(`the gateway refused the connection: ${reason}`);
      this.end(1);
    });
  }

  start(): void {
    this.rl.prompt();
  }

  private note(text: string): void {
    process.stderr.write(`${this.out.errColor.dim(text)}\n`);
  }

  private end(code: number): void {
    this.running?.abort();
    this.rl.close();
    this.finished(code);
  }

  private onInterrupt(): void {
    if (this.running) {
      this.running.abort();
      return;
    }
    if (this.tty && this.rl.line.length > 0) {
      // As shells do: Ctrl-C drops what was typed.
      this.rl.write(null, { ctrl: true, name: 'e' });
      this.rl.write(null, { ctrl: true, name: 'u' });
      return;
    }
    if (this.tty) process.stdout.write('\n');
    this.end(0);
  }

  private onLine(line: string): void {
    const text = line.trim();
    if (text === '/exit' || text === '/quit') return this.end(0);
    if (text) this.queue.push(text);
    else if (!this.busy) this.rl.prompt();
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    while (this.queue.length) await this.turn(this.queue.shift()!);
    this.busy = false;
    if (this.closed) this.end(0);
    else this.rl.prompt();
  }

  private async turn(message: string): Promise<void> {
    const controller = new AbortController();
    this.running = controller;
    const printer = new ReplyPrinter({ write: (t) => void process.stdout.write(t), color: this.out.color }, 'assistant ›');
    const progress = startProgress(this.out, 'thinking…');
    const { sessionKey, agentId, thinking } = this.settings;
    const stream = this.client.chat.stream(
      { sessionKey, message, ...(agentId ? { agentId } : {}), ...(thinking ? { thinking } : {}) },
      { signal: controller.signal, timeoutMs: 30_000 },
    );
    const offAgent = this.client.on('agent', (event) => {
      if (event.runId !== stream.runId) return;
      progress.stop();
      printer.onAgent(event);
    });
    try {
      for await (const item of stream) {
        progress.stop();
        printer.onChat(item);
      }
      printer.finish(printer.hasOutput ? undefined : this.out.color.dim('(no reply)'));
    } catch (error) {
      progress.stop();
      printer.finish(this.out.color.yellow(failureNote(error)));
    } finally {
      offAgent();
      this.running = undefined;
    }
  }
}

function failureNote(error: unknown): string {
  if (error instanceof GatewayError) {
    if (error.code === 'ABORTED' || error.code === 'RUN_ABORTED') return '(aborted)';
    return `(failed: ${describeCallError(error)})`;
  }
  return `(failed: ${error instanceof Error ? error.message : String(error)})`;
}

export function runChatCommand(args: string[]): Promise<number> {
  return runClientCommand(
    args,
    {
      name: 'chat',
      options: { session: { type: 'string' }, agent: { type: 'string' }, thinking: { type: 'string' } },
      usage: usageWithMethods(USAGE, ['chat.send', 'chat.abort', 'chat.history']),
    },
    async ({ values, out, target, timeoutMs }) => {
      const client = await connectGateway(target, { timeoutMs, scopes: ['operator.read', 'operator.write'], caps: ['tool-events'], callTimeoutMs: 30_000 });
      const settings: ChatSettings = { sessionKey: values.session ?? 'main', agentId: values.agent, thinking: values.thinking };
      if (process.stdin.isTTY) {
        const who = values.agent ? `agent ${values.agent}` : 'the default agent';
        out.note(out.errColor.dim(`chatting with ${who} in session ${settings.sessionKey} at ${target.url}; Ctrl-C aborts a reply, Ctrl-C again or Ctrl-D leaves`));
      }
      const loop = new ChatLoop(client, out, settings);
      loop.start();
      try {
        return await loop.done;
      } finally {
        client.close();
      }
    },
  );
}

// `openclaw approvals watch`: asks in the terminal about each exec approval as it arrives (and
// those already pending), one at a time. A request decided elsewhere or expired while asked about
// is withdrawn. With --json it prompts nothing and streams the requests and decisions instead.
import { createInterface, type Interface } from 'node:readline';
import type { OpenClawClient } from '../../../clients/openclaw-client.js';
import { GatewayError } from '../../../clients/runtime/gateway-error.js';
import type { GatewayEvents } from '../../../generated/clients/method-map.js';
import type { CliOutput } from '../client/cli-output.js';
import { describeCallError } from '../client/gateway-failure.js';
import { approvalCard, shortId, type ApprovalEntry } from './approval-card.js';

type Decision = 'allow-once' | 'allow-always' | 'deny';
type Resolved = GatewayEvents['exec.approval.resolved'];

const ANSWERS: Record<string, Decision | 'skip'> = {
  o: 'allow-once',
  once: 'allow-once',
  y: 'allow-once',
  yes: 'allow-once',
  a: 'allow-always',
  always: 'allow-always',
  d: 'deny',
  deny: 'deny',
  n: 'deny',
  no: 'deny',
  s: 'skip',
  skip: 'skip',
};

export class ApprovalWatcher {
  private readonly queue: ApprovalEntry[] = [];
  private readonly seen = new Set<string>();
  private current: { id: string; withdraw: (why: string) => void } | undefined;
  private busy = false;
  private rl: Interface | undefined;
  private stopped = false;
  private finished!: (code: number) => void;
  readonly done = new Promise<number>((resolve) => (this.finished = resolve));

  constructor(
    private readonly client: OpenClawClient,
    private readonly out: CliOutput,
    private readonly timeoutMs: number,
    private readonly url: string,
  ) {}

  async start(): Promise<void> {
    const c = this.out.errColor;
    this.client.on('exec.approval.requested', (entry) => this.enqueue(entry));
    this.client.on('exec.approval.resolved', (event) => this.onResolved(event));
    this.client.on('reconnecting', () => this.out.note(c.dim('(connection lost; reconnecting…)')));
    this.client.on('ready', ({ reconnected }) => {
      if (!reconnected) return;
      this.out.note(c.dim('(reconnected)'));
      void this.catchUp();
    });
    this.client.on('paused', ({ reason }) => {
      this.out.note(c.red(`openclaw: the gateway refused the connection: ${reason}`));
      this.stop(1);
    });
    if (!this.out.json) {
      this.rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true && process.stdout.isTTY === true });
      this.rl.on('SIGINT', () => this.stop(0));
      this.rl.on('close', () => this.stop(0));
      this.out.note(c.dim('watching for exec approval requests; answer o (allow once), a (allow always), d (deny) or s (skip); Ctrl-C stops'));
    } else {
      // Scripts reading the JSON stream learn when requests start to reach it.
      process.stdout.write(`${JSON.stringify({ type: 'watching', url: this.url })}\n`);
    }
    process.on('SIGINT', () => this.stop(0));
    await this.catchUp();
  }

  stop(code: number): void {
    if (this.stopped) return;
    this.stopped = true;
    this.current?.withdraw('');
    this.rl?.close();
    this.finished(code);
  }

  /** Requests pending now (at start, and after a reconnect that may have missed events). */
  private async catchUp(): Promise<void> {
    const pending = await this.client.exec.approvals.list({}, { timeoutMs: this.timeoutMs });
    for (const entry of [...pending].sort((a, b) => a.createdAtMs - b.createdAtMs)) this.enqueue(entry);
  }

  private enqueue(entry: ApprovalEntry): void {
    if (this.stopped || this.seen.has(entry.id)) return;
    this.seen.add(entry.id);
    if (this.out.json) return void process.stdout.write(`${JSON.stringify({ type: 'requested', ...entry })}\n`);
    this.queue.push(entry);
    void this.drain();
  }

  private onResolved(event: Resolved): void {
    if (this.out.json) return void process.stdout.write(`${JSON.stringify({ type: 'resolved', ...event })}\n`);
    const queued = this.queue.findIndex((e) => e.id === event.id);
    if (queued >= 0) this.queue.splice(queued, 1);
    if (this.current?.id === event.id) this.current.withdraw(`${shortId(event.id)} was decided elsewhere: ${event.decision}${event.resolvedBy ? ` by ${event.resolvedBy}` : ''}`);
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length && !this.stopped) await this.ask(this.queue.shift()!);
    } finally {
      this.busy = false;
    }
  }

  private async ask(entry: ApprovalEntry): Promise<void> {
    const c = this.out.color;
    const always = entry.request.allowedDecisions.includes('allow-always');
    this.out.line();
    this.out.line(approvalCard(entry, c));
    const choices = `[o]nce${always ? ' / [a]lways' : ''} / [d]eny / [s]kip`;
    const expiresIn = entry.expiresAtMs - Date.now();
    for (;;) {
      const answer = await this.question(entry.id, `${c.bold('Allow?')} ${choices} › `, expiresIn);
      if (answer === undefined || this.stopped) return;
      const decision = ANSWERS[answer.trim().toLowerCase()];
      if (!decision || (decision === 'allow-always' && !always)) {
        this.out.line(c.dim(`answer ${choices.replace(/[[\]]/g, '')}`));
        continue;
      }
      if (decision === 'skip') return void this.out.line(c.dim(`skipped ${shortId(entry.id)} (it stays pending)`));
      try {
        await this.client.exec.approvals.resolve({ id: entry.id, decision }, { timeoutMs: this.timeoutMs });
        this.out.line(`${decision === 'deny' ? c.red('denied') : c.green(decision === 'allow-always' ? 'allowed always' : 'allowed once')} ${shortId(entry.id)}`);
      } catch (error) {
        this.out.line(c.yellow(`could not decide ${shortId(entry.id)}: ${error instanceof GatewayError ? describeCallError(error) : String(error)}`));
      }
      return;
    }
  }

  /** One answer; undefined when the request went away first (decided elsewhere, expired, stopped). */
  private question(id: string, prompt: string, expiresInMs: number): Promise<string | undefined> {
    const rl = this.rl!;
    return new Promise((resolve) => {
      const controller = new AbortController();
      let settled = false;
      const settle = (value: string | undefined): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.current = undefined;
        resolve(value);
      };
      const withdraw = (why: string): void => {
        controller.abort();
        if (why) this.out.line(`\n${this.out.color.dim(why)}`);
        settle(undefined);
      };
      const timer = setTimeout(() => withdraw(`${shortId(id)} expired before it was decided`), Math.max(0, expiresInMs));
      this.current = { id, withdraw };
      rl.question(prompt, { signal: controller.signal }, (answer) => settle(answer));
    });
  }
}

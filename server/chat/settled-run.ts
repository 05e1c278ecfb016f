// The handle of a run that ended in an earlier process, rebuilt from its stored outcome, so a
// re-sent key (chat.send, agent, agent.wait) answers as it would have before the restart.
import type { AgentRunEvent, AgentRunHandle, AgentRunResult, AgentRunStatus } from './run-types.js';

export class SettledRun implements AgentRunHandle {
  readonly runId: string;
  readonly agentId: string;
  readonly sessionKey: string;
  readonly done: Promise<AgentRunResult>;

  constructor(
    private readonly outcome: AgentRunResult,
    readonly acceptedAt: number,
  ) {
    this.runId = outcome.runId;
    this.agentId = outcome.agentId;
    this.sessionKey = outcome.sessionKey;
    this.done = Promise.resolve(outcome);
  }

  status(): AgentRunStatus {
    return this.outcome.status;
  }

  text(): string {
    return this.outcome.text;
  }

  subscribe(_listener: (event: AgentRunEvent) => void): () => void {
    return () => {};
  }

  result(): AgentRunResult {
    return this.outcome;
  }

  abort(): boolean {
    return false;
  }

  addToolEventRecipient(): void {}
}

// Shared by the approval tests: the two kinds of client (one runs the agent, one approves) and
// a fake model that asks for exec.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { openReady, type RawSocket } from '../helpers/raw-socket.js';

const client = (displayName: string) => ({ id: 'test', version: '1.0.0', platform: 'linux', mode: 'test', displayName });

/** Runs agents and sees their tool events; cannot approve. */
export async function openRunner(url: string, token: string): Promise<RawSocket> {
  return (await openReady(url, token, { scopes: ['operator.read', 'operator.write'], caps: ['tool-events'], client: client('runner') })).socket;
}

export async function openApprover(url: string, token: string, name = 'approver-b'): Promise<RawSocket> {
  return (await openReady(url, token, { scopes: ['operator.approvals'], client: client(name) })).socket;
}

export async function openAdmin(url: string, token: string): Promise<RawSocket> {
  return (await openReady(url, token, { scopes: ['operator.admin'], client: client('admin') })).socket;
}

export function askForExec(upstream: FakeOpenAiServer, command: string, reply = 'done'): void {
  upstream.enqueue({ toolCalls: [{ name: 'exec', arguments: { command } }] }, { text: reply });
}

export async function nextRequested(socket: RawSocket, command: string): Promise<{ id: string; request: any; expiresAtMs: number }> {
  const frame = await socket.waitFor((f) => f.event === 'exec.approval.requested' && f.payload.request.command === command, 15_000);
  return frame.payload;
}

export function decisionLog(stateDir: string): any[] {
  try {
    return readFileSync(join(stateDir, 'exec-approvals', 'decisions.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}

/** The tool message the model got back for the n-th request (1-based). */
export function toolResultSent(upstream: FakeOpenAiServer, n: number): string {
  const message = upstream.requests[n - 1]?.body.messages?.find((m) => m.role === 'tool');
  expect(message, `request ${n} has a tool message`).toBeDefined();
  return String(message!.content);
}

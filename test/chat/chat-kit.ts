// Helpers for driving chat the way a client does: raw frames over a real socket.
import { call, type Frame, type RawSocket } from '../helpers/raw-socket.js';

let keyCounter = 0;
export const uniqueKey = (prefix = 'k'): string => `${prefix}-${process.pid}-${++keyCounter}-${Math.random().toString(36).slice(2, 8)}`;

export interface RunFrames {
  readonly chat: Frame[];
  readonly agent: Frame[];
  readonly terminal: Frame;
}

const isRunEvent = (runId: string) => (f: Frame) => f.type === 'event' && (f.event === 'chat' || f.event === 'agent') && f.payload?.runId === runId;

/** Collects a run's chat and agent events until its terminal chat event (final/error/aborted). */
export async function collectRun(socket: RawSocket, runId: string, timeoutMs = 15_000): Promise<RunFrames> {
  const chat: Frame[] = [];
  const agent: Frame[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = await socket.waitFor(isRunEvent(runId), Math.max(1, deadline - Date.now()));
    if (frame.event === 'agent') agent.push(frame);
    else {
      chat.push(frame);
      if (frame.payload.state !== 'delta') {
        // Lifecycle end is published before the chat terminal event; pick up anything still queued.
        for (;;) {
          const index = socket.frames.findIndex(isRunEvent(runId));
          if (index < 0) break;
          const extra = socket.frames.splice(index, 1)[0]!;
          (extra.event === 'agent' ? agent : chat).push(extra);
        }
        return { chat, agent, terminal: frame };
      }
    }
  }
}

export async function chatSend(socket: RawSocket, sessionKey: string, message: string, idempotencyKey = uniqueKey('run'), extra: Record<string, unknown> = {}): Promise<Frame> {
  return call(socket, 'chat.send', { sessionKey, message, idempotencyKey, ...extra });
}

/** chat.send and wait for the run to end. */
export async function chatTurn(socket: RawSocket, sessionKey: string, message: string, extra: Record<string, unknown> = {}): Promise<RunFrames & { runId: string }> {
  const res = await chatSend(socket, sessionKey, message, uniqueKey('run'), extra);
  if (!res.ok) throw new Error(`chat.send failed: ${JSON.stringify(res.error)}`);
  const runId = res.payload.runId as string;
  return { runId, ...(await collectRun(socket, runId)) };
}

export const textOf = (frame: Frame): string => frame.payload?.message?.content?.map((b: { text?: string }) => b.text ?? '').join('') ?? '';

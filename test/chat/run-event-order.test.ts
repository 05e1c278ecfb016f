// Regression: a run's `agent` lifecycle end arrived before its last assistant text (the throttled
// delta was still waiting on a timer). Every stream event of a run must precede its end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type RunningGateway } from '../helpers/gateway-targets.js';
import { openReady, type Frame, type RawSocket } from '../helpers/raw-socket.js';
import { chatSend, uniqueKey } from './chat-kit.js';

let gw: RunningGateway;
let ws: RawSocket;

beforeAll(async () => {
  gw = await startInProcess(); // the built-in offline model: it streams a whole reply within one tick
  ws = (await openReady(gw.url, gw.token)).socket;
});
afterAll(async () => {
  ws?.close();
  await gw?.stop();
});

/** Every chat/agent event of `runId` in arrival order, until the chat terminal event. */
function recordRun(socket: RawSocket, runId: string): Promise<Frame[]> {
  return new Promise((resolve, reject) => {
    const seen: Frame[] = [];
    const timer = setTimeout(() => reject(new Error(`run ${runId} did not end; saw ${seen.length} events`)), 15_000);
    const onMessage = (data: Buffer): void => {
      const frame = JSON.parse(data.toString()) as Frame;
      if (frame.type !== 'event' || (frame.event !== 'chat' && frame.event !== 'agent') || frame.payload?.runId !== runId) return;
      seen.push(frame);
      if (frame.event === 'chat' && frame.payload.state !== 'delta') {
        // Let anything published after the terminal event arrive too.
        setTimeout(() => {
          clearTimeout(timer);
          socket.ws.off('message', onMessage);
          resolve(seen);
        }, 200);
      }
    };
    socket.ws.on('message', onMessage);
  });
}

describe('run event order', () => {
  it('the last assistant text comes before lifecycle end, and nothing of the run streams after it', async () => {
    for (let i = 0; i < 3; i++) {
      const key = uniqueKey('order');
      const recorded = recordRun(ws, key);
      const res = await chatSend(ws, `agent:main:${uniqueKey('order')}`, 'several words so the reply streams in several chunks', key);
      expect(res.ok).toBe(true);
      const events = await recorded;
      const agent = events.filter((f) => f.event === 'agent');
      const endAt = agent.findIndex((f) => f.payload.stream === 'lifecycle' && f.payload.data.phase === 'end');
      expect(endAt).toBeGreaterThan(0);
      const after = agent.slice(endAt + 1).map((f) => `${f.payload.stream}:${JSON.stringify(f.payload.data)}`);
      expect(after).toEqual([]);
      const assistant = agent.filter((f) => f.payload.stream === 'assistant');
      expect(assistant.at(-1)!.payload.data.text).toBe('[offline echo model] You said: several words so the reply streams in several chunks');
      // The run's seq rises in arrival order across both events.
      const seqs = events.map((f) => f.payload.seq as number);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });
});

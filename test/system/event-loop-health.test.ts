// The event-loop figures health reports: a loop blocked past the threshold is degraded with the
// delay as its reason, and a quiet one recovers; the gateway's health carries them.
import { describe, expect, it } from 'vitest';
import { EventLoopMonitor } from '../../server/system/event-loop-health.js';
import { startInProcess } from '../helpers/gateway-targets.js';
import { call, openReady } from '../helpers/raw-socket.js';

const blockFor = (ms: number): void => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy on purpose: the loop cannot run its timers meanwhile
  }
};
const idle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('event loop health', () => {
  it('a blocked loop is degraded by its delay, since when it began; a quiet interval clears it', async () => {
    const monitor = new EventLoopMonitor();
    try {
      await idle(60);
      monitor.snapshot();
      await idle(30);
      blockFor(400);
      await idle(60);
      const blocked = monitor.snapshot();
      expect(blocked.delayMaxMs).toBeGreaterThanOrEqual(300);
      expect(blocked.reasons).toContain('event_loop_delay');
      expect(blocked.degraded).toBe(true);
      expect(blocked.degradedSinceMs).toEqual(expect.any(Number));
      expect(blocked.utilization).toBeGreaterThan(0);
      expect(blocked.cpuCoreRatio).toBeGreaterThan(0);
      await idle(200);
      const quiet = monitor.snapshot();
      expect(quiet.reasons).not.toContain('event_loop_delay');
      expect(quiet.delayMaxMs).toBeLessThan(blocked.delayMaxMs);
    } finally {
      monitor.close();
    }
  });

  it('the gateway reports eventLoop and configReload in health', async () => {
    const gw = await startInProcess();
    const { socket } = await openReady(gw.url, gw.token);
    try {
      const health = (await call(socket, 'health', { probe: true })).payload;
      expect(health.eventLoop).toMatchObject({ degraded: expect.any(Boolean), reasons: expect.any(Array), delayP99Ms: expect.any(Number), utilization: expect.any(Number) });
      expect(health.configReload).toEqual({ hotReloadStatus: 'active' });
    } finally {
      socket.close();
      await gw.stop();
    }
  });
});

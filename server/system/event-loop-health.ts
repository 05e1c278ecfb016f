// How busy the gateway's event loop is, as upstream's health reports it: delay percentiles from
// node's sampling histogram, loop utilization and CPU share since the previous snapshot. A loop
// that stays over a threshold is "degraded" with the reasons, and since when.
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import type { EventLoopHealth } from '../../contract/schemas/system.js';

/** Delay (p99) past which the loop counts as degraded: a client would feel it on every answer. */
const DEGRADED_DELAY_P99_MS = 250;
const DEGRADED_UTILIZATION = 0.95;
const DEGRADED_CPU_CORE_RATIO = 0.95;
const SAMPLING_RESOLUTION_MS = 20;

const round = (value: number, digits = 3): number => Math.round(value * 10 ** digits) / 10 ** digits;

export class EventLoopMonitor {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: SAMPLING_RESOLUTION_MS });
  private lastAt = performance.now();
  private lastUtilization: EventLoopUtilization = performance.eventLoopUtilization();
  private lastCpu = process.cpuUsage();
  private degradedSinceMs: number | null = null;

  constructor() {
    this.histogram.enable();
  }

  /** The figures since the previous snapshot (or since start); the histogram starts over after each. */
  snapshot(): EventLoopHealth {
    const now = performance.now();
    const intervalMs = Math.max(now - this.lastAt, 0.001);
    const utilization = performance.eventLoopUtilization(this.lastUtilization);
    const cpu = process.cpuUsage(this.lastCpu);
    const delayP99Ms = this.histogram.count > 0 ? this.histogram.percentile(99) / 1e6 : 0;
    const delayMaxMs = this.histogram.count > 0 ? this.histogram.max / 1e6 : 0;
    const cpuCoreRatio = (cpu.user + cpu.system) / 1000 / intervalMs;
    this.histogram.reset();
    this.lastAt = now;
    this.lastUtilization = performance.eventLoopUtilization();
    this.lastCpu = process.cpuUsage();

    const reasons: EventLoopHealth['reasons'] = [];
    if (delayP99Ms >= DEGRADED_DELAY_P99_MS) reasons.push('event_loop_delay');
    if (utilization.utilization >= DEGRADED_UTILIZATION) reasons.push('event_loop_utilization');
    if (cpuCoreRatio >= DEGRADED_CPU_CORE_RATIO) reasons.push('cpu');
    const degraded = reasons.length > 0;
    if (!degraded) this.degradedSinceMs = null;
    else if (this.degradedSinceMs === null) this.degradedSinceMs = Date.now();
    return {
      degraded,
      degradedSinceMs: this.degradedSinceMs,
      reasons,
      intervalMs: round(intervalMs),
      delayP99Ms: round(delayP99Ms),
      delayMaxMs: round(delayMaxMs),
      utilization: round(utilization.utilization),
      cpuCoreRatio: round(cpuCoreRatio),
    };
  }

  close(): void {
    this.histogram.disable();
  }
}

// `health` answers from a cached snapshot; a background refresh keeps it young, so a burst of
// health calls costs nothing but a lookup.
import type { HealthSummary } from '../../contract/schemas/system.js';

export interface HealthSources {
  agents(): HealthSummary['agents'];
  defaultAgentId(): string;
  sessions(): HealthSummary['sessions'];
  channels(): Pick<HealthSummary, 'channels' | 'channelOrder' | 'channelLabels'>;
  gateway(): NonNullable<HealthSummary['gateway']>;
  eventLoop?(): NonNullable<HealthSummary['eventLoop']>;
  configReload?(): NonNullable<HealthSummary['configReload']>;
  /** Subsystems that report in health add these (memory indexes, skills). */
  memory?(): NonNullable<HealthSummary['memory']>;
  skills?(): NonNullable<HealthSummary['skills']>;
  nodes?(): NonNullable<HealthSummary['nodes']>;
}

export class HealthService {
  private cached: HealthSummary | undefined;
  private version = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(summary: HealthSummary, version: number) => void>();

  constructor(
    private sources: HealthSources,
    private readonly refreshMs = 60_000,
  ) {}

  /** Later subsystems replace a source (e.g. sessions) with their own. */
  extend(sources: Partial<HealthSources>): void {
    this.sources = { ...this.sources, ...sources };
    this.cached = undefined;
  }

  get stateVersion(): number {
    return this.version;
  }

  /** The cached summary; computed (without announcing it) when there is none yet. */
  snapshot(): HealthSummary {
    return this.cached ?? this.compute();
  }

  /** Recomputes and announces the summary to `onRefresh` listeners (the `health` event). */
  refresh(): HealthSummary {
    const summary = this.compute();
    this.version++;
    for (const listener of this.listeners) listener(summary, this.version);
    return summary;
  }

  private compute(): HealthSummary {
    const started = performance.now();
    const channels = this.sources.channels();
    const summary: HealthSummary = {
      ok: true,
      ts: Date.now(),
      durationMs: 0,
      ...channels,
      heartbeatSeconds: 0,
      defaultAgentId: this.sources.defaultAgentId(),
      agents: this.sources.agents(),
      sessions: this.sources.sessions(),
      gateway: this.sources.gateway(),
    };
    if (this.sources.eventLoop) summary.eventLoop = this.sources.eventLoop();
    if (this.sources.configReload) summary.configReload = this.sources.configReload();
    if (this.sources.memory) summary.memory = this.sources.memory();
    if (this.sources.skills) summary.skills = this.sources.skills();
    if (this.sources.nodes) summary.nodes = this.sources.nodes();
    summary.durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    this.cached = summary;
    return summary;
  }

  onRefresh(listener: (summary: HealthSummary, version: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.timer = setInterval(() => this.refresh(), this.refreshMs);
    this.timer.unref?.();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

// Keeps one channel account running: one connection at a time (never two), restarts after a
// failure with exponential backoff (bounded delay and a restarts-per-hour budget), stops for good
// on a fatal error (refused login, invalid nick) and says why in its status snapshot.
import type { ChannelAccountSnapshot } from '../../contract/schemas/channels.js';
import type { Mutable } from '../core/mutable.js';
import { ChannelConnectError, type ChannelAccount, type ChannelAdapter, type ChannelConnection, type ConnectionSink } from './channel-adapter.js';

export interface BackoffSettings {
  readonly baseMs: number;
  readonly maxMs: number;
  /** Restarts allowed within an hour before the manager gives up (gateway.channelMaxRestartsPerHour). */
  readonly maxRestartsPerHour: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { baseMs: 1000, maxMs: 60_000, maxRestartsPerHour: 10 };

export type HealthState = 'starting' | 'connected' | 'reconnecting' | 'failed' | 'stopped' | 'disabled' | 'not-configured';

interface RuntimeState {
  running: boolean;
  connected: boolean;
  healthState: HealthState;
  reconnectAttempts: number;
  restarts: number;
  lastError: string | null;
  lastStartAt: number | null;
  lastStopAt: number | null;
  lastConnectedAt: number | null;
  lastDisconnect: { at: number; reason: string } | null;
  lastInboundAt: number | null;
  lastOutboundAt: number | null;
  lastTransportActivityAt: number | null;
  lastProbeAt: number | null;
  probe: unknown;
  activeRuns: number;
  lastRunActivityAt: number | null;
  nextRetryAt: number | null;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

export class AccountSupervisor {
  connection: ChannelConnection | undefined;
  private readonly state: RuntimeState = {
    running: false,
    connected: false,
    healthState: 'stopped',
    reconnectAttempts: 0,
    restarts: 0,
    lastError: null,
    lastStartAt: null,
    lastStopAt: null,
    lastConnectedAt: null,
    lastDisconnect: null,
    lastInboundAt: null,
    lastOutboundAt: null,
    lastTransportActivityAt: null,
    lastProbeAt: null,
    probe: undefined,
    activeRuns: 0,
    lastRunActivityAt: null,
    nextRetryAt: null,
  };
  private controller: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private readonly restartTimes: number[] = [];

  constructor(
    public account: ChannelAccount,
    private readonly adapter: ChannelAdapter,
    private readonly sink: ConnectionSink,
    private readonly backoff: () => BackoffSettings,
    private readonly changed: () => void,
  ) {
    if (!account.enabled) this.state.healthState = 'disabled';
    else if (!account.configured) {
      this.state.healthState = 'not-configured';
      this.state.lastError = account.missing ? `not configured: set ${account.missing}` : 'not configured';
    }
  }

  get running(): boolean {
    return this.loop !== undefined;
  }

  /** Starts the run loop unless it runs already (a second start never opens a second connection). */
  start(): void {
    if (this.loop || !this.account.enabled || !this.account.configured) return;
    this.controller = new AbortController();
    this.restartTimes.length = 0;
    this.state.reconnectAttempts = 0;
    this.state.lastError = null;
    this.loop = this.run(this.controller.signal).finally(() => {
      this.loop = undefined;
    });
  }

  /** Stops the loop and closes the connection; resolves when both are gone. */
  async stop(reason: string, healthState: HealthState = 'stopped'): Promise<void> {
    const loop = this.loop;
    this.controller?.abort();
    const connection = this.connection;
    if (connection) await connection.close(reason).catch(() => {});
    await loop;
    this.set({ running: false, connected: false, healthState, lastStopAt: Date.now(), nextRetryAt: null });
  }

  /** Shown while an operator keeps the account stopped (channels.stop, channels.logout). */
  markHeld(reason: string): void {
    this.set({ running: false, connected: false, healthState: 'stopped', lastError: reason, nextRetryAt: null });
  }

  noteInbound(at: number): void {
    this.state.lastInboundAt = at;
  }

  noteOutbound(at: number): void {
    this.state.lastOutboundAt = at;
  }

  noteActivity(at: number): void {
    this.state.lastTransportActivityAt = at;
  }

  noteRun(delta: 1 | -1): void {
    this.state.activeRuns = Math.max(0, this.state.activeRuns + delta);
    this.state.lastRunActivityAt = Date.now();
  }

  noteProbe(result: unknown): void {
    this.state.probe = result;
    this.state.lastProbeAt = Date.now();
  }

  snapshot(extra: { dmPolicy: string; allowFrom: readonly string[] }): ChannelAccountSnapshot {
    const s = this.state;
    const snapshot: Mutable<ChannelAccountSnapshot> = {
      accountId: this.account.accountId,
      enabled: this.account.enabled,
      configured: this.account.configured,
      running: s.running,
      connected: s.connected,
      linked: s.connected,
      healthState: s.healthState,
      reconnectAttempts: s.reconnectAttempts,
      restarts: s.restarts,
      lastError: s.lastError,
      lastStartAt: s.lastStartAt,
      lastStopAt: s.lastStopAt,
      lastConnectedAt: s.lastConnectedAt,
      lastDisconnect: s.lastDisconnect,
      lastInboundAt: s.lastInboundAt,
      lastOutboundAt: s.lastOutboundAt,
      lastTransportActivityAt: s.lastTransportActivityAt,
      nextRetryAt: s.nextRetryAt,
      busy: s.activeRuns > 0,
      activeRuns: s.activeRuns,
      lastRunActivityAt: s.lastRunActivityAt,
      lastProbeAt: s.lastProbeAt,
      dmPolicy: extra.dmPolicy,
      allowFrom: [...extra.allowFrom],
      ...this.account.describe,
      ...(this.connection?.describe() ?? {}),
    };
    if (this.account.name) snapshot.name = this.account.name;
    if (s.probe !== undefined) snapshot.probe = s.probe;
    return snapshot;
  }

  private set(patch: Partial<RuntimeState>): void {
    Object.assign(this.state, patch);
    this.changed();
  }

  private async run(signal: AbortSignal): Promise<void> {
    this.set({ running: true, healthState: 'starting', lastStartAt: Date.now() });
    while (!signal.aborted) {
      let ended: { error: string; fatal: boolean };
      try {
        const connection = await this.adapter.connect(this.account, this.sink, signal);
        if (signal.aborted) {
          await connection.close('stopping');
          return;
        }
        this.connection = connection;
        this.set({ connected: true, healthState: 'connected', reconnectAttempts: 0, lastError: null, lastConnectedAt: Date.now(), nextRetryAt: null });
        ended = await connection.closed;
        this.connection = undefined;
        if (signal.aborted) return;
        this.set({ connected: false, lastDisconnect: { at: Date.now(), reason: ended.error } });
      } catch (error) {
        this.connection = undefined;
        if (signal.aborted) return;
        ended = { error: (error as Error).message, fatal: error instanceof ChannelConnectError && error.fatal };
      }
      if (ended.fatal) {
        this.sink.log('warn', 'channel account stopped after a fatal error', { channel: this.account.channel, accountId: this.account.accountId, error: ended.error });
        this.set({ running: false, connected: false, healthState: 'failed', lastError: `${ended.error} (not retrying; fix the config or run channels.start)`, lastStopAt: Date.now(), nextRetryAt: null });
        return;
      }
      const settings = this.backoff();
      const now = Date.now();
      while (this.restartTimes.length > 0 && now - this.restartTimes[0]! > 3_600_000) this.restartTimes.shift();
      if (this.restartTimes.length >= settings.maxRestartsPerHour) {
        this.set({
          running: false,
          connected: false,
          healthState: 'failed',
          lastError: `gave up after ${settings.maxRestartsPerHour} restarts within an hour (gateway.channelMaxRestartsPerHour); last error: ${ended.error}`,
          lastStopAt: now,
          nextRetryAt: null,
        });
        return;
      }
      this.restartTimes.push(now);
      const attempts = this.state.reconnectAttempts + 1;
      const delay = Math.min(settings.maxMs, settings.baseMs * 2 ** (attempts - 1)) * (0.8 + Math.random() * 0.4);
      this.sink.log('info', 'channel account reconnecting', { channel: this.account.channel, accountId: this.account.accountId, error: ended.error, attempt: attempts, delayMs: Math.round(delay) });
      this.set({ reconnectAttempts: attempts, restarts: this.state.restarts + 1, healthState: 'reconnecting', lastError: ended.error, nextRetryAt: now + Math.round(delay) });
      await sleep(delay, signal);
    }
  }
}

// The channel framework: one supervisor per configured account (started once, never twice),
// following config reloads (a changed account reconnects, a removed one stops, access changes
// apply at once), inbound messages routed to agents, status for channels.status, health and
// status, and `channel.status` events when an account's state changes.
import type { ChannelAccountSnapshot } from '../../contract/schemas/channels.js';
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import type { HealthSummary } from '../../contract/schemas/system.js';
import type { InProcessCaller } from '../core/in-process-caller.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { configuredAgents } from '../system/default-health-sources.js';
import { AccountSupervisor, DEFAULT_BACKOFF, type BackoffSettings } from './account-supervisor.js';
import type { ChannelAccount, ChannelAdapter, ConnectionSink } from './channel-adapter.js';
import { ChannelPairing } from './channel-pairing.js';
import type { ChannelStateStore, HeldAccount } from './channel-state-store.js';
import { InboundRouter, type InboundDeps } from './inbound-router.js';
import { WebchatChannel } from './webchat/webchat-channel.js';

export interface ChannelManagerOptions {
  readonly adapters: readonly ChannelAdapter[];
  readonly store: ChannelStateStore;
  readonly backoff?: Partial<BackoffSettings>;
  readonly onTurnDone?: InboundDeps['onTurnDone'];
}

const heldText = (held: HeldAccount): string =>
  held.reason === 'logged-out' ? 'logged out (channels.logout); add credentials or run channels.start to reconnect' : 'stopped by an operator (channels.stop); run channels.start to reconnect';

const keyOf = (channel: string, accountId: string): string => `${channel}:${accountId}`;

export class ChannelManager {
  readonly pairing: ChannelPairing;
  readonly webchat: WebchatChannel;
  private readonly adapters = new Map<string, ChannelAdapter>();
  private readonly supervisors = new Map<string, AccountSupervisor>();
  private readonly router: InboundRouter;
  private callerInstance: InProcessCaller | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly rt: GatewayRuntime,
    private readonly options: ChannelManagerOptions,
  ) {
    for (const adapter of options.adapters) this.adapters.set(adapter.id, adapter);
    this.pairing = new ChannelPairing(options.store);
    this.webchat = new WebchatChannel(() => rt.hub.all());
    this.router = new InboundRouter({
      config: () => rt.config.config,
      defaultAgentId: () => configuredAgents(rt.config.config).find((a) => a.isDefault)?.id ?? 'main',
      caller: () => this.caller(),
      pairing: this.pairing,
      logger: rt.logger,
      onPairingRequested: (channel, accountId, request) => {
        rt.logger.info('channel pairing requested', { channel, accountId, sender: request.id });
        rt.hub.publish('channel.pairing.requested', { channel, accountId, request, ts: Date.now() });
      },
      ...(options.onTurnDone ? { onTurnDone: options.onTurnDone } : {}),
    });
  }

  /** The caller inbound turns and sends go through; made on first use (after the gateway is assembled). */
  caller(): InProcessCaller {
    this.callerInstance ??= this.rt.createCaller({ id: 'channels', scopes: ['operator.read', 'operator.write'], client: { displayName: 'channels' } });
    return this.callerInstance;
  }

  channelIds(): string[] {
    return ['webchat', ...this.adapters.keys()];
  }

  adapter(channel: string): ChannelAdapter | undefined {
    return this.adapters.get(channel);
  }

  supervisor(channel: string, accountId: string): AccountSupervisor | undefined {
    return this.supervisors.get(keyOf(channel, accountId));
  }

  accountsOf(channel: string): AccountSupervisor[] {
    return [...this.supervisors.values()].filter((s) => s.account.channel === channel);
  }

  /** Starts every configured account, then follows config reloads. */
  start(): void {
    if (this.stopped) return;
    this.caller();
    this.reconcile(this.rt.config.config);
    this.rt.config.onChange((next) => {
      if (!this.stopped) this.reconcile(next);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.healthTimer);
    await Promise.all([...this.supervisors.values()].map((s) => s.stop('gateway stopping')));
    this.callerInstance?.close();
  }

  /** Brings supervisors in line with the config: new accounts start, changed ones reconnect, removed ones stop. */
  reconcile(config: OpenClawConfig): void {
    const seen = new Set<string>();
    const held = this.options.store.heldAccounts();
    let heldChanged = false;
    for (const adapter of this.adapters.values()) {
      for (const account of adapter.listAccounts(config)) {
        const key = keyOf(adapter.id, account.accountId);
        seen.add(key);
        const hold = held[key];
        if (hold && hold.fingerprint !== account.fingerprint) {
          delete held[key];
          heldChanged = true;
        }
        const existing = this.supervisors.get(key);
        if (existing && existing.account.fingerprint === account.fingerprint && existing.account.enabled === account.enabled) {
          existing.account = account;
          continue;
        }
        const next = this.makeSupervisor(adapter, account);
        this.supervisors.set(key, next);
        const launch = (): void => {
          if (held[key]) next.markHeld(heldText(held[key]));
          else if (!this.stopped && this.supervisors.get(key) === next) next.start();
          this.publish(adapter.id, next.snapshot(this.snapshotExtra(next)));
        };
        // The old connection is fully closed before the new one dials: never two at once.
        if (existing) void existing.stop('config changed').then(launch);
        else launch();
      }
    }
    for (const [key, supervisor] of this.supervisors) {
      if (seen.has(key)) continue;
      this.supervisors.delete(key);
      void supervisor.stop('removed from config');
    }
    if (heldChanged) this.options.store.saveHeldAccounts(held);
  }

  /** channels.start: releases a hold and (re)starts the account. */
  async startAccount(channel: string, accountId: string): Promise<AccountSupervisor | undefined> {
    const supervisor = this.supervisor(channel, accountId);
    if (!supervisor) return undefined;
    this.hold(channel, accountId, undefined);
    if (!supervisor.running) supervisor.start();
    return supervisor;
  }

  /** channels.stop / channels.logout: stops the account and keeps it stopped until its config changes. */
  async holdAccount(channel: string, accountId: string, reason: HeldAccount['reason']): Promise<AccountSupervisor | undefined> {
    const supervisor = this.supervisor(channel, accountId);
    if (!supervisor) return undefined;
    await supervisor.stop(reason === 'logged-out' ? 'logged out' : 'stopped by operator');
    const value: HeldAccount = { reason, at: Date.now(), fingerprint: supervisor.account.fingerprint };
    this.hold(channel, accountId, value);
    supervisor.markHeld(heldText(value));
    return supervisor;
  }

  /** After a logout rewrote the config: hold the account under its new fingerprint too. */
  rehold(channel: string, accountId: string, reason: HeldAccount['reason'], account: ChannelAccount): void {
    this.hold(channel, accountId, { reason, at: Date.now(), fingerprint: account.fingerprint });
  }

  private hold(channel: string, accountId: string, value: HeldAccount | undefined): void {
    const held = this.options.store.heldAccounts();
    const key = keyOf(channel, accountId);
    if (value) held[key] = value;
    else delete held[key];
    this.options.store.saveHeldAccounts(held);
  }

  snapshotExtra(supervisor: AccountSupervisor): { dmPolicy: string; allowFrom: string[] } {
    const { channel, accountId, access } = supervisor.account;
    return { dmPolicy: access.dmPolicy, allowFrom: [...access.allowFrom, ...this.pairing.approved(channel, accountId)] };
  }

  accountSnapshots(channel: string): ChannelAccountSnapshot[] {
    if (channel === 'webchat') return [this.webchat.snapshot()];
    return this.accountsOf(channel).map((s) => s.snapshot(this.snapshotExtra(s)));
  }

  defaultAccountId(channel: string): string {
    return this.adapters.get(channel)?.defaultAccountId(this.rt.config.config) ?? 'default';
  }

  label(channel: string): { label: string; detailLabel: string } {
    if (channel === 'webchat') return { label: this.webchat.label, detailLabel: this.webchat.detailLabel };
    const adapter = this.adapters.get(channel);
    return { label: adapter?.label ?? channel, detailLabel: adapter?.detailLabel ?? channel };
  }

  /** The `channels` part of `health`. */
  health(): Pick<HealthSummary, 'channels' | 'channelOrder' | 'channelLabels'> {
    const channels: HealthSummary['channels'] = {};
    const channelLabels: Record<string, string> = {};
    for (const id of this.channelIds()) {
      const accounts = this.accountSnapshots(id);
      const main = accounts.find((a) => a.accountId === this.defaultAccountId(id)) ?? accounts[0];
      channelLabels[id] = this.label(id).label;
      channels[id] = {
        accountId: main?.accountId ?? 'default',
        configured: accounts.some((a) => a.configured === true),
        linked: main?.connected ?? false,
        running: main?.running ?? false,
        connected: main?.connected ?? false,
        lastError: main?.lastError ?? null,
        accounts: Object.fromEntries(accounts.map((a) => [a.accountId, a])),
      };
    }
    return { channels, channelOrder: this.channelIds(), channelLabels };
  }

  private makeSupervisor(adapter: ChannelAdapter, account: ChannelAccount): AccountSupervisor {
    let supervisor: AccountSupervisor;
    const sink: ConnectionSink = {
      inbound: (message) =>
        void this.router.handle(supervisor, message).catch((error: unknown) =>
          this.rt.logger.error('channel message handling failed', { channel: adapter.id, accountId: account.accountId, error: (error as Error).message }),
        ),
      activity: (at) => supervisor.noteActivity(at),
      log: (level, message, fields) => this.rt.logger[level](message, fields),
    };
    const backoff = (): BackoffSettings => ({
      ...DEFAULT_BACKOFF,
      ...(this.rt.config.config.gateway?.channelMaxRestartsPerHour ? { maxRestartsPerHour: this.rt.config.config.gateway.channelMaxRestartsPerHour } : {}),
      ...this.options.backoff,
    });
    supervisor = new AccountSupervisor(account, adapter, sink, backoff, () => {
      if (this.supervisors.get(keyOf(adapter.id, account.accountId)) === supervisor) this.publish(adapter.id, supervisor.snapshot(this.snapshotExtra(supervisor)));
    });
    return supervisor;
  }

  private publish(channel: string, account: ChannelAccountSnapshot): void {
    if (this.stopped) return;
    this.rt.hub.publish('channel.status', { channel, accountId: account.accountId, account, ts: Date.now() });
    // One health refresh (and `health` event) for a burst of changes.
    if (!this.healthTimer) {
      this.healthTimer = setTimeout(() => {
        this.healthTimer = undefined;
        if (!this.stopped) this.rt.health.refresh();
      }, 200);
      this.healthTimer.unref?.();
    }
  }
}

// channels.status / .logout / .start / .stop, channel.pairing.list / .approve and send.
import type { ChannelAccountSnapshot } from '../../contract/schemas/channels.js';
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import type { ChannelHandlers, ChannelsHandlers, SystemHandlers } from '../../generated/server/handlers.js';
import { invalidRequest, notFound } from '../core/gateway-error.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { applyMergePatch } from '../config/merge-patch.js';
import type { ChannelManager } from './channel-manager.js';
import type { ChannelSendService } from './channel-send.js';

type Handlers = Pick<ChannelsHandlers, 'channels.status' | 'channels.logout' | 'channels.start' | 'channels.stop'> & ChannelHandlers & Pick<SystemHandlers, 'send'>;

const PROBE_DEFAULT_MS = 10_000;

async function probeAll(manager: ChannelManager, channels: readonly string[], timeoutMs: number): Promise<void> {
  const probes = channels.flatMap((id) =>
    manager.accountsOf(id).map(async (supervisor) => {
      const connection = supervisor.connection;
      if (!connection?.probe) return;
      try {
        supervisor.noteProbe({ ok: true, latencyMs: await connection.probe(timeoutMs) });
      } catch (error) {
        supervisor.noteProbe({ ok: false, error: (error as Error).message });
      }
    }),
  );
  await Promise.all(probes);
}

function assertAccount(manager: ChannelManager, channel: string, accountId: string | undefined): { channel: string; accountId: string } {
  const id = channel.trim().toLowerCase();
  if (!manager.adapter(id)) throw notFound(`unknown channel: ${id}${id === 'webchat' ? ' (webchat is the gateway itself and has no accounts to manage)' : ''}`, 'CHANNEL_NOT_FOUND');
  const account = accountId?.trim() || manager.defaultAccountId(id);
  if (!manager.supervisor(id, account)) throw notFound(`channel ${id} has no account ${account}; channels.status lists the configured accounts`, 'CHANNEL_ACCOUNT_NOT_FOUND');
  return { channel: id, accountId: account };
}

export function createChannelsHandlers(rt: GatewayRuntime, manager: ChannelManager, sender: ChannelSendService): Handlers {
  const snapshotOf = (channel: string, accountId: string): ChannelAccountSnapshot => {
    const supervisor = manager.supervisor(channel, accountId)!;
    return supervisor.snapshot(manager.snapshotExtra(supervisor));
  };
  return {
    'channels.status': async (params) => {
      const wanted = params.channel?.trim().toLowerCase();
      const ids = manager.channelIds().filter((id) => !wanted || id === wanted);
      if (params.probe) await probeAll(manager, ids, Math.max(1000, params.timeoutMs ?? PROBE_DEFAULT_MS));
      const result = {
        ts: Date.now(),
        channelOrder: ids,
        channelLabels: {} as Record<string, string>,
        channelDetailLabels: {} as Record<string, string>,
        channelMeta: [] as { id: string; label: string; detailLabel: string }[],
        channels: {} as Record<string, { configured: boolean; [key: string]: unknown }>,
        channelAccounts: {} as Record<string, ChannelAccountSnapshot[]>,
        channelDefaultAccountId: {} as Record<string, string>,
      };
      for (const id of ids) {
        const { label, detailLabel } = manager.label(id);
        const accounts = manager.accountSnapshots(id);
        const defaultId = id === 'webchat' ? 'default' : manager.defaultAccountId(id);
        const main = accounts.find((a) => a.accountId === defaultId);
        result.channelLabels[id] = label;
        result.channelDetailLabels[id] = detailLabel;
        result.channelMeta.push({ id, label, detailLabel });
        result.channels[id] = {
          configured: accounts.some((a) => a.configured === true),
          running: main?.running ?? false,
          connected: main?.connected ?? false,
          lastError: main?.lastError ?? null,
        };
        result.channelAccounts[id] = accounts;
        result.channelDefaultAccountId[id] = defaultId;
      }
      return result;
    },

    'channels.logout': async (params) => {
      if (params.channel.trim().toLowerCase() === 'webchat') throw invalidRequest('channel webchat does not support logout', { code: 'CHANNEL_LOGOUT_UNSUPPORTED' });
      const { channel, accountId } = assertAccount(manager, params.channel, params.accountId);
      const adapter = manager.adapter(channel)!;
      if (!adapter.credentialPaths) throw invalidRequest(`channel ${channel} does not support logout`, { code: 'CHANNEL_LOGOUT_UNSUPPORTED' });
      if (!rt.config.loaded.valid) throw invalidRequest('config invalid; fix it before logging out', { code: 'CONFIG_INVALID' });
      await manager.holdAccount(channel, accountId, 'logged-out');
      const config = rt.config.config;
      const patch: Record<string, unknown> = {};
      let cleared = false;
      for (const path of adapter.credentialPaths(config, accountId)) {
        const present = path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), rt.config.loaded.parsed) !== undefined;
        if (!present) continue;
        cleared = true;
        let cursor = patch;
        path.forEach((key, i) => {
          if (i === path.length - 1) cursor[key] = null;
          else cursor = (cursor[key] ??= {}) as Record<string, unknown>;
        });
      }
      if (cleared) {
        // Hold the account under the fingerprint it will have without its credentials, then write.
        const after = applyMergePatch(config, patch) as OpenClawConfig;
        const next = adapter.listAccounts(after).find((a) => a.accountId === accountId);
        if (next) manager.rehold(channel, accountId, 'logged-out', next);
        rt.config.patch(JSON.stringify(patch), rt.config.loaded.hash);
      }
      rt.logger.notice('channel account logged out', { channel, accountId, cleared });
      return { channel, accountId, cleared, loggedOut: true };
    },

    'channels.start': async (params) => {
      const { channel, accountId } = assertAccount(manager, params.channel, params.accountId);
      const supervisor = manager.supervisor(channel, accountId)!;
      if (!supervisor.account.configured) {
        throw invalidRequest(`${channel} account ${accountId} is not configured${supervisor.account.missing ? `: set ${supervisor.account.missing}` : ''}`, { code: 'CHANNEL_NOT_CONFIGURED' });
      }
      await manager.startAccount(channel, accountId);
      return { channel, accountId, account: snapshotOf(channel, accountId) };
    },

    'channels.stop': async (params) => {
      const { channel, accountId } = assertAccount(manager, params.channel, params.accountId);
      await manager.holdAccount(channel, accountId, 'stopped');
      return { channel, accountId, account: snapshotOf(channel, accountId) };
    },

    'channel.pairing.list': (params) => {
      const wanted = params.channel?.trim().toLowerCase();
      if (wanted && !manager.adapter(wanted)) throw notFound(`unknown channel: ${wanted}`, 'CHANNEL_NOT_FOUND');
      const ids = wanted ? [wanted] : manager.channelIds().filter((id) => manager.adapter(id));
      const channels = ids.map((channel) => ({ channel, requests: manager.pairing.list(channel, params.accountId) })).filter((c) => wanted || c.requests.length > 0);
      return { channels };
    },

    'channel.pairing.approve': async (params) => {
      const channel = params.channel.trim().toLowerCase();
      if (!manager.adapter(channel)) throw notFound(`unknown channel: ${channel}`, 'CHANNEL_NOT_FOUND');
      const approved = manager.pairing.approve(channel, params.code, params.accountId);
      if (!approved) throw notFound(`no pending pairing request with code ${params.code.trim().toUpperCase()} on ${channel}; channel.pairing.list shows the pending ones (codes expire after an hour)`, 'PAIRING_CODE_NOT_FOUND');
      const accountId = approved.meta?.accountId ?? 'default';
      rt.logger.notice('channel pairing approved', { channel, accountId, sender: approved.id });
      rt.hub.publish('channel.pairing.resolved', { channel, accountId, id: approved.id, decision: 'approved', ts: Date.now() });
      let notified = false;
      const connection = manager.supervisor(channel, accountId)?.connection;
      const to = approved.meta?.name;
      if ((params.notify ?? true) && connection && to) {
        notified = await connection.send(to, 'You were approved; you can talk to the agent now.').then(
          () => true,
          () => false,
        );
      }
      return { ok: true as const, channel, accountId, id: approved.id, notified };
    },

    send: (params) => sender.send(params),
  };
}

// WebChat, the gateway's own channel: the control UI and browser clients talking over this
// gateway's WebSocket (chat.send). It is always configured and running; connected while at least
// one webchat client is; nothing to dial and nothing to send to (upstream calls it internal-only).
// The control UI follows its clients through `presence` events; this is the channels.status view.
import type { ChannelAccountSnapshot } from '../../../contract/schemas/channels.js';
import type { ConnectionHandle } from '../../core/connection-handle.js';

const WEBCHAT_IDS = new Set(['webchat', 'webchat-ui', 'openclaw-control-ui']);

export function isWebchatClient(handle: ConnectionHandle): boolean {
  return handle.client.mode === 'webchat' || handle.client.mode === 'ui' || WEBCHAT_IDS.has(handle.client.id);
}

/** Its status is counted live from the hub's connections whenever it is asked for. */
export class WebchatChannel {
  readonly id = 'webchat';
  readonly label = 'WebChat';
  readonly detailLabel = 'WebChat (control UI and browser clients)';
  private readonly startedAt = Date.now();

  constructor(private readonly connections: () => Iterable<ConnectionHandle>) {}

  snapshot(): ChannelAccountSnapshot {
    let count = 0;
    for (const handle of this.connections()) if (handle.isOpen() && isWebchatClient(handle)) count++;
    return {
      accountId: 'default',
      enabled: true,
      configured: true,
      running: true,
      connected: count > 0,
      linked: true,
      healthState: count > 0 ? 'connected' : 'idle',
      lastStartAt: this.startedAt,
      mode: 'internal',
      connections: count,
    };
  }
}

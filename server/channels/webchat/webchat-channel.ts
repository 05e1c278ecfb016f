// WebChat, the gateway's own channel: the control UI and browser clients talking over this
// gateway's WebSocket (chat.send). It is always configured and running; connected while at least
// one webchat client is; nothing to dial and nothing to send to (upstream calls it internal-only).
import type { ChannelAccountSnapshot } from '../../../contract/schemas/channels.js';
import type { ConnectionHandle } from '../../core/connection-handle.js';

const WEBCHAT_IDS = new Set(['webchat', 'webchat-ui', 'openclaw-control-ui']);

export function isWebchatClient(handle: ConnectionHandle): boolean {
  return handle.client.mode === 'webchat' || handle.client.mode === 'ui' || WEBCHAT_IDS.has(handle.client.id);
}

export class WebchatChannel {
  readonly id = 'webchat';
  readonly label = 'WebChat';
  readonly detailLabel = 'WebChat (control UI and browser clients)';
  private lastConnectedAt: number | null = null;
  private lastCount = -1;
  private readonly startedAt = Date.now();

  constructor(private readonly connections: () => Iterable<ConnectionHandle>) {}

  /** Recounts webchat clients; true when the count changed since the last call. */
  refresh(): boolean {
    const count = this.count();
    const changed = count !== this.lastCount;
    if (changed && count > this.lastCount && this.lastCount >= 0) this.lastConnectedAt = Date.now();
    if (changed && this.lastCount < 0 && count > 0) this.lastConnectedAt = Date.now();
    this.lastCount = count;
    return changed;
  }

  snapshot(): ChannelAccountSnapshot {
    const count = this.count();
    return {
      accountId: 'default',
      enabled: true,
      configured: true,
      running: true,
      connected: count > 0,
      linked: true,
      healthState: count > 0 ? 'connected' : 'idle',
      lastStartAt: this.startedAt,
      lastConnectedAt: this.lastConnectedAt,
      mode: 'internal',
      connections: count,
    };
  }

  private count(): number {
    let n = 0;
    for (const handle of this.connections()) if (handle.isOpen() && isWebchatClient(handle)) n++;
    return n;
  }
}

// The channels subsystem of one gateway, as the composition root builds it: the manager with the
// IRC adapter, the state store in the state dir, `send`, the `message` tool, and the health source.
import type { GatewayRuntime } from '../gateway-runtime.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import { ChannelManager, type ChannelManagerOptions } from './channel-manager.js';
import { ChannelSendService } from './channel-send.js';
import { fileChannelStateStore } from './channel-state-store.js';
import { createIrcAdapter, type IrcTuning } from './irc/irc-channel.js';
import { registerMessageTool } from './message-tool.js';

export interface ChannelsServiceOptions {
  readonly irc?: IrcTuning;
  readonly manager?: Partial<Pick<ChannelManagerOptions, 'backoff' | 'onTurnDone'>>;
}

export class ChannelsService {
  readonly manager: ChannelManager;
  readonly sender: ChannelSendService;

  constructor(rt: GatewayRuntime, tools: ToolRegistry, options: ChannelsServiceOptions = {}) {
    const store = fileChannelStateStore(rt.paths.stateDir, (location, reason) => rt.logger.warn('channel state file unreadable; it was moved aside', { location, reason }));
    this.manager = new ChannelManager(rt, { adapters: [createIrcAdapter(options.irc)], store, ...options.manager });
    this.sender = new ChannelSendService(this.manager);
    registerMessageTool(tools, () => this.manager.caller());
    rt.health.extend({ channels: () => this.manager.health() });
    // Accounts start once the gateway is assembled: in-process callers need the bound handlers.
    setImmediate(() => this.manager.start());
    rt.onShutdown(() => this.manager.stop());
  }
}

import type { ConfigStore } from './config/config-store.js';
import type { GatewaySettings } from './config/gateway-settings.js';
import type { StatePaths } from './config/state-paths.js';
import type { ClientCalls } from './core/client-calls.js';
import type { EventHub } from './core/event-hub.js';
import type { CallerPrincipal, InProcessCaller } from './core/in-process-caller.js';
import type { GatewayLogger } from './logs/gateway-logger.js';
import type { HealthService } from './system/health-service.js';

/** Shared services every subsystem is built from. */
export interface GatewayRuntime {
  readonly paths: StatePaths;
  readonly config: ConfigStore;
  /** The environment this gateway reads (`createGateway({ env })`; process.env by default). */
  readonly env: NodeJS.ProcessEnv;
  settings(): GatewaySettings;
  readonly logger: GatewayLogger;
  readonly hub: EventHub;
  readonly health: HealthService;
  readonly startedAt: number;
  readonly version: string;
  /** Check handler results and event payloads against the contract. */
  readonly validateContract: boolean;
  /**
   * An in-process caller (cron jobs, channel adapters, the node router): the same dispatcher,
   * validation, scopes and typed errors as a WebSocket client. Usable once the gateway is
   * assembled (calls made while handlers are still being built throw).
   */
  createCaller(principal: CallerPrincipal): InProcessCaller;
  /** Requests from the gateway to a connected client, answered by a method call of that client. */
  readonly clientCalls: ClientCalls;
  /** Work to finish before the process exits (flush state, stop timers). Runs in reverse order. */
  onShutdown(task: () => Promise<void> | void): void;
  /** Client sockets past hello-ok (in-process callers are not counted). */
  connectionCount(): number;
}

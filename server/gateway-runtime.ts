import type { ConfigStore } from './config/config-store.js';
import type { GatewaySettings } from './config/gateway-settings.js';
import type { StatePaths } from './config/state-paths.js';
import type { EventHub } from './core/event-hub.js';
import type { GatewayLogger } from './logs/gateway-logger.js';
import type { HealthService } from './system/health-service.js';

/** Shared services every subsystem is built from. */
export interface GatewayRuntime {
  readonly paths: StatePaths;
  readonly config: ConfigStore;
  settings(): GatewaySettings;
  readonly logger: GatewayLogger;
  readonly hub: EventHub;
  readonly health: HealthService;
  readonly startedAt: number;
  readonly version: string;
  /** Check handler results and event payloads against the contract. */
  readonly validateContract: boolean;
  /** Work to finish before the process exits (flush state, stop timers). Runs in reverse order. */
  onShutdown(task: () => Promise<void> | void): void;
  connectionCount(): number;
}

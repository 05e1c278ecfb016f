import type { HelloOk } from '../../contract/schemas/connect.js';
import type { AuthRateLimiter } from '../auth/auth-rate-limiter.js';
import type { GatewaySettings } from '../config/gateway-settings.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import type { Connection } from './connection.js';
import type { DeviceGate } from './device-gate.js';
import type { Dispatcher } from './dispatcher.js';

/** What the gateway provides to every connection. */
export interface ConnectionHost {
  settings(): GatewaySettings;
  readonly dispatcher: Dispatcher;
  readonly rateLimiter: AuthRateLimiter;
  readonly logger: GatewayLogger;
  /** Device pairing (absent: devices are only proven, never paired). */
  readonly deviceGate?: DeviceGate;
  /** Masks configured secret values in a frame on its way out. */
  redactText(text: string): string;
  buildHello(connection: Connection): HelloOk;
  /** The handshake succeeded and hello-ok is about to be sent. */
  onAuthenticated(connection: Connection): void;
  /** hello-ok has been sent; the connection may receive events from now on. */
  onReady(connection: Connection): void;
  onClosed(connection: Connection): void;
}

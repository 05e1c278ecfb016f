// Device pairing of one gateway: the pairing files in the state dir, the handshake's gate, and the
// device.* methods.
import type { DeviceHandlers } from '../../generated/server/handlers.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { DevicePairing } from './device-pairing.js';
import { createDevicesHandlers } from './devices-handlers.js';
import { filePairingStore, type PairingStore } from './pairing-store.js';

export class DevicesService {
  readonly store: PairingStore;
  readonly pairing: DevicePairing;

  constructor(rt: GatewayRuntime) {
    this.store = filePairingStore(rt.paths.stateDir, rt.logger);
    this.pairing = new DevicePairing({ store: this.store, hub: rt.hub, logger: rt.logger });
  }

  handlers(): DeviceHandlers {
    return createDevicesHandlers(this.pairing);
  }
}

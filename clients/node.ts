// Node-only helpers of the SDK: a device identity in a key file and device tokens in a JSON file.
export { loadOrCreateDeviceIdentity, fileDeviceTokenStore } from './node-device-identity.js';
export type { DeviceIdentity, DeviceTokenStore } from './runtime/device-auth.js';

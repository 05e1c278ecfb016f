// The small browser SDK: BrowserGatewayClient (through the same-origin GatewayProxy), its
// singleton, and the optional streaming helper.
export { BrowserGatewayClient, getBrowserGatewayClient, defaultProxyUrl, type BrowserGatewayClientOptions } from './browser-gateway-client.js';
export { streamBrowserChat } from './browser-chat-stream.js';
export { GatewayError, isGatewayError, type GatewayErrorKind } from './runtime/gateway-error.js';
export { isMethodError, type MethodError } from './runtime/method-error.js';
export type { CallOptions } from './runtime/rpc-caller.js';
export type { ConnectionEvents, ConnectionState, HelloOk } from './runtime/rpc-session.js';
export type { ChatEvent, ChatStream, ChatStreamItem } from './runtime/chat-stream.js';
export type { BrowserEvents, BrowserMethods } from '../generated/clients/method-map.js';
export { loadBrowserDeviceIdentity, indexedDbDeviceTokenStore } from './browser-device-identity.js';
export type { DeviceIdentity, DeviceTokenStore } from './runtime/device-auth.js';

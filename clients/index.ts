// The full SDK (Node and browsers): OpenClawClient, its singleton, errors and event types.
export { OpenClawClient, getOpenClawClient, resetOpenClawClient, type OpenClawClientOptions, type OpenClawChat } from './openclaw-client.js';
export { GatewayError, isGatewayError, type GatewayErrorKind } from './runtime/gateway-error.js';
export { isMethodError, type CodedFailure, type MethodError, type UncodedFailure } from './runtime/method-error.js';
export type { CallOptions } from './runtime/rpc-caller.js';
export type { ConnectionEvents, ConnectionState, HelloOk, SessionOptions } from './runtime/rpc-session.js';
export type { ChatEvent, ChatStream, ChatStreamItem, ChatStreamOptions, ChatStreamParams } from './runtime/chat-stream.js';
export type { GatewayEvents, GatewayMethodName, GatewayMethods } from '../generated/clients/method-map.js';
export type { GatewayMethodErrorCode, GatewayMethodErrors } from '../generated/clients/method-errors.js';
export type { ErrorDetailCode, ErrorDetailsOf } from '../contract/schemas/errors.js';
export { serveNodeCommands, NodeCommandError, type NodeCommandHandler, type NodeInvokeRequest } from './node-command-server.js';
export { ServeError, type ServeOutcome, type ServeSpec } from './runtime/request-serving.js';
export { deviceProofPayload, memoryDeviceTokenStore, type DeviceIdentity, type DeviceTokenStore } from './runtime/device-auth.js';
export { loadBrowserDeviceIdentity, indexedDbDeviceTokenStore } from './browser-device-identity.js';

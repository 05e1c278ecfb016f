// The package's `./contract` entry: the contract (every method, event and HTTP endpoint as zod
// schemas) and the types derived from it. The same contract as JSON Schema is the
// `./contract/schema.json` entry.
export { contract, type GatewayContract } from './gateway.contract.js';
export { OPERATOR_SCOPES, type OperatorScope, type MethodAccess, type EventAccess } from './define.js';
export { ERROR_CODES, ERROR_DETAIL_CODES, type ErrorCode, type ErrorDetailCode, type ErrorShape } from './schemas/errors.js';
export type { ConnectParams, HelloOk } from './schemas/connect.js';
export type { OpenClawConfig } from './schemas/config.js';
export type { EventName, EventPayload, MethodName, MethodParams, MethodResult } from '../generated/server/method-types.js';

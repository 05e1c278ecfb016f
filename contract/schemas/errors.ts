import { z } from 'zod';

/** Top-level error codes of a `res` frame (PROTOCOL.md "Errors"). */
export const ERROR_CODES = [
  'INVALID_REQUEST',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'UNAVAILABLE',
  'AGENT_TIMEOUT',
  'NOT_PAIRED',
  'NOT_LINKED',
  'CANCELLED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Machine-readable `details.code` values. Methods declare which of these they can return. */
export const ERROR_DETAIL_CODES = [
  // handshake
  'PROTOCOL_MISMATCH',
  'AUTH_REQUIRED',
  'AUTH_UNAUTHORIZED',
  'AUTH_TOKEN_MISSING',
  'AUTH_TOKEN_MISMATCH',
  'AUTH_TOKEN_NOT_CONFIGURED',
  'AUTH_PASSWORD_MISSING',
  'AUTH_PASSWORD_MISMATCH',
  'AUTH_PASSWORD_NOT_CONFIGURED',
  'AUTH_RATE_LIMITED',
  'DEVICE_AUTH_INVALID',
  'DEVICE_AUTH_DEVICE_ID_MISMATCH',
  'DEVICE_AUTH_SIGNATURE_EXPIRED',
  'DEVICE_AUTH_NONCE_REQUIRED',
  'DEVICE_AUTH_NONCE_MISMATCH',
  'DEVICE_AUTH_SIGNATURE_INVALID',
  'DEVICE_AUTH_PUBLIC_KEY_INVALID',
  // handshake: browser origins (reliability and access)
  'CONTROL_UI_ORIGIN_NOT_ALLOWED',
  // dispatch
  'MISSING_SCOPE',
  'UNKNOWN_METHOD',
  'INVALID_PARAMS',
  'NOT_IMPLEMENTED',
  'TOO_MANY_IN_FLIGHT',
  'REQUEST_CANCELLED',
  // gateway → client calls
  'CLIENT_DISCONNECTED',
  'CLIENT_TIMEOUT',
  // business rules
  'BASE_HASH_REQUIRED',
  'BASE_HASH_MISMATCH',
  'CONFIG_INVALID',
  'APPROVAL_NOT_FOUND',
  'APPROVAL_ALLOW_ALWAYS_UNAVAILABLE',
  'SESSION_NOT_FOUND',
  'SESSION_BUSY',
  'AGENT_NOT_FOUND',
  'AGENT_EXISTS',
  'AGENT_PROTECTED',
  'FILE_NOT_ALLOWED',
  'FILE_NOT_FOUND',
  'RUN_NOT_FOUND',
  'RUN_SESSION_MISMATCH',
  'MESSAGE_REQUIRED',
  'MODEL_NOT_FOUND',
  'PROVIDER_ERROR',
  'JOB_NOT_FOUND',
  'SCHEDULE_INVALID',
  // channels
  'CHANNEL_NOT_FOUND',
  'CHANNEL_LOGOUT_UNSUPPORTED',
  'CHANNEL_ACCOUNT_NOT_FOUND',
  'CHANNEL_NOT_CONFIGURED',
  'CHANNEL_AMBIGUOUS',
  'CHANNEL_INTERNAL_ONLY',
  'CHANNEL_NOT_CONNECTED',
  'CHANNEL_TARGET_INVALID',
  'CHANNEL_SEND_FAILED',
  'PAIRING_CODE_NOT_FOUND',
  // other business rules
  'SKILL_NOT_FOUND',
  'INSTALL_FAILED',
  'LOG_UNAVAILABLE',
  'QUEUE_FULL',
  'SUBSCRIPTION_LIMIT',
  // cron
  'CRON_STORE_UNAVAILABLE',
  'CRON_JOB_LIMIT',
  // exec approvals
  'APPROVAL_ID_AMBIGUOUS',
  'APPROVAL_STORE_FAILED',
  // memory
  'MEMORY_UNAVAILABLE',
  'MEMORY_DISABLED',
  // skills
  'SKILL_INSTALLER_NOT_FOUND',
  // devices and nodes (pairing, device tokens, node.invoke)
  'PAIRING_REQUIRED',
  'DEVICE_IDENTITY_REQUIRED',
  'AUTH_DEVICE_TOKEN_MISMATCH',
  'DEVICE_NOT_FOUND',
  'DEVICE_PAIRING_NOT_FOUND',
  'DEVICE_ROLE_NOT_PAIRED',
  'DEVICE_STORE_FAILED',
  'NODE_NOT_FOUND',
  'NOT_CONNECTED',
  'NODE_NOT_PAIRED',
  'NODE_PAIRING_NOT_FOUND',
  'NODE_COMMAND_NOT_ALLOWED',
  'NODE_INVOKE_FAILED',
  'NODE_INVOKE_MISMATCH',
  'SYSTEM_RUN_DENIED',
] as const;
export type ErrorDetailCode = (typeof ERROR_DETAIL_CODES)[number];

export const ErrorShape = z.object({
  code: z.enum(ERROR_CODES).or(z.string().min(1)),
  message: z.string().min(1),
  details: z.unknown().optional(),
  retryable: z.boolean().optional(),
  retryAfterMs: z.number().int().min(0).optional(),
});
export type ErrorShape = z.infer<typeof ErrorShape>;

// Decides the fate of the first frame (docs/protocol.md "Handshake"): connect validation, protocol
// negotiation, device proof and shared-secret auth, in upstream's order. Every error comes from
// `errorsFor('connect')`, so a code the contract's connect entry does not declare does not compile.
import { ConnectParams, PROTOCOL_VERSIONS, type Role } from '../../contract/schemas/connect.js';
import type { OperatorScope } from '../../contract/define.js';
import type { ErrorShape } from '../../contract/schemas/errors.js';
import type { AuthRateLimiter } from '../auth/auth-rate-limiter.js';
import { verifyDeviceProof } from '../auth/device-proof.js';
import { secretsEqual } from '../auth/secret-compare.js';
import type { AuthSettings } from '../config/gateway-settings.js';
import { errorsFor, type MethodErrorCode } from '../../generated/server/method-errors.js';
import { normalizeScopes } from './scopes.js';
import { validateUntrusted } from './untrusted-input.js';
import { describeIssues, summarizeIssues } from './zod-issues.js';

export interface HandshakeInput {
  readonly method: string;
  readonly params: unknown;
  readonly nonce: string;
  readonly remoteAddress: string;
  readonly isLoopback: boolean;
  readonly now: number;
}

export interface HandshakeAccepted {
  readonly ok: true;
  readonly protocol: number;
  readonly role: Role;
  readonly scopes: OperatorScope[];
  readonly params: ConnectParams;
  readonly deviceId: string | undefined;
}

export interface HandshakeRejected {
  readonly ok: false;
  readonly error: ErrorShape;
  readonly closeCode: number;
  readonly closeReason: string;
  /** Auth failures answer after the fixed failure delay. */
  readonly delayed: boolean;
}

export type HandshakeOutcome = HandshakeAccepted | HandshakeRejected;

const reject = (error: ErrorShape, closeCode: number, closeReason: string, delayed = false): HandshakeRejected => ({
  ok: false,
  error,
  closeCode,
  closeReason,
  delayed,
});

export function negotiateProtocol(min: number, max: number): number | undefined {
  for (let v = PROTOCOL_VERSIONS[PROTOCOL_VERSIONS.length - 1]!; v >= PROTOCOL_VERSIONS[0]; v--) {
    if (min <= v && v <= max) return v;
  }
  return undefined;
}

const connectErrors = errorsFor('connect');

type AuthFailureCode = Extract<MethodErrorCode<'connect'>, `AUTH_${string}`>;

function authFailure(code: AuthFailureCode, reason: string, retryAfterMs?: number): HandshakeRejected {
  const fields = {
    authReason: reason,
    canRetryWithDeviceToken: false,
    recommendedNextStep: code === 'AUTH_RATE_LIMITED' ? ('wait_then_retry' as const) : ('update_auth_credentials' as const),
  };
  const error = connectErrors[code](fields, retryAfterMs === undefined ? undefined : { retryAfterMs }).toShape();
  return reject(error, 1008, error.message, true);
}

function checkSharedSecret(
  auth: AuthSettings,
  params: ConnectParams,
  input: HandshakeInput,
  limiter: AuthRateLimiter,
): HandshakeRejected | undefined {
  if (auth.mode === 'none') return undefined;
  const wait = limiter.retryAfterMs(input.remoteAddress, input.isLoopback);
  if (wait > 0) {
    return authFailure('AUTH_RATE_LIMITED', 'rate_limited', wait);
  }
  const fail = (code: AuthFailureCode, reason: string): HandshakeRejected => {
    limiter.recordFailure(input.remoteAddress, input.isLoopback);
    return authFailure(code, reason);
  };
  if (auth.mode === 'password') {
    const given = params.auth?.password;
    if (!auth.password) return fail('AUTH_PASSWORD_NOT_CONFIGURED', 'password_missing_config');
    if (!given) return fail('AUTH_PASSWORD_MISSING', 'password_missing');
    if (!secretsEqual(given, auth.password)) return fail('AUTH_PASSWORD_MISMATCH', 'password_mismatch');
    limiter.recordSuccess(input.remoteAddress);
    return undefined;
  }
  const given = params.auth?.token ?? params.auth?.deviceToken;
  if (!auth.token) return fail('AUTH_TOKEN_NOT_CONFIGURED', 'token_missing_config');
  if (!given) return fail('AUTH_TOKEN_MISSING', 'token_missing');
  if (!secretsEqual(given, auth.token)) return fail('AUTH_TOKEN_MISMATCH', 'token_mismatch');
  limiter.recordSuccess(input.remoteAddress);
  return undefined;
}

export function evaluateHandshake(input: HandshakeInput, auth: AuthSettings, limiter: AuthRateLimiter): HandshakeOutcome {
  if (input.method !== 'connect') {
    const message = 'invalid handshake: first request must be connect';
    return reject({ code: 'INVALID_REQUEST', message }, 1008, message);
  }
  const parsed = validateUntrusted(ConnectParams, input.params);
  if (!parsed.success) {
    const message = `invalid connect params: ${describeIssues(parsed.error, 3, ConnectParams)}`;
    return reject(connectErrors.INVALID_PARAMS({ issues: summarizeIssues(parsed.error, 10, ConnectParams) }, message).toShape(), 1008, message);
  }
  const params = parsed.data;
  const protocol = negotiateProtocol(params.minProtocol, params.maxProtocol);
  if (protocol === undefined) {
    const mismatch = connectErrors.PROTOCOL_MISMATCH({
      expectedProtocol: PROTOCOL_VERSIONS[PROTOCOL_VERSIONS.length - 1]!,
      supportedProtocols: [...PROTOCOL_VERSIONS],
      minProtocol: params.minProtocol,
      maxProtocol: params.maxProtocol,
    });
    return reject(mismatch.toShape(), 1002, mismatch.message);
  }
  const role = params.role;
  const scopes = role === 'operator' ? normalizeScopes(params.scopes) : [];
  let deviceId: string | undefined;
  if (params.device) {
    const proof = verifyDeviceProof({
      device: params.device,
      clientId: params.client.id,
      clientMode: params.client.mode,
      role,
      scopes: params.scopes ?? [],
      token: params.auth?.token ?? params.auth?.deviceToken ?? params.auth?.bootstrapToken ?? '',
      platform: params.client.platform,
      deviceFamily: params.client.deviceFamily,
      challengeNonce: input.nonce,
      now: input.now,
    });
    if (!proof.ok) {
      const failed = connectErrors[proof.code]({ reason: proof.reason });
      return reject(failed.toShape(), 1008, failed.message);
    }
    deviceId = proof.deviceId;
  }
  const denied = checkSharedSecret(auth, params, input, limiter);
  if (denied) return denied;
  return { ok: true, protocol, role, scopes, params, deviceId };
}

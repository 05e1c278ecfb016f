// Decides the fate of the first frame (PROTOCOL.md "Handshake"): connect validation, protocol
// negotiation, device proof and shared-secret auth, in upstream's order.
import { ConnectParams, PROTOCOL_VERSIONS, type Role } from '../../contract/schemas/connect.js';
import type { OperatorScope } from '../../contract/define.js';
import type { ErrorShape } from '../../contract/schemas/errors.js';
import type { AuthRateLimiter } from '../auth/auth-rate-limiter.js';
import { verifyDeviceProof } from '../auth/device-proof.js';
import { secretsEqual } from '../auth/secret-compare.js';
import type { AuthSettings } from '../config/gateway-settings.js';
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

function authFailure(code: string, reason: string, message: string, extra: Partial<ErrorShape> = {}): HandshakeRejected {
  return reject(
    {
      code: 'INVALID_REQUEST',
      message,
      details: {
        code,
        authReason: reason,
        canRetryWithDeviceToken: false,
        recommendedNextStep: code === 'AUTH_RATE_LIMITED' ? 'wait_then_retry' : 'update_auth_credentials',
      },
      ...extra,
    },
    1008,
    message,
    true,
  );
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
    return authFailure('AUTH_RATE_LIMITED', 'rate_limited', 'unauthorized: too many failed attempts; wait and retry', {
      retryable: true,
      retryAfterMs: wait,
    });
  }
  const fail = (code: string, reason: string, message: string): HandshakeRejected => {
    limiter.recordFailure(input.remoteAddress, input.isLoopback);
    return authFailure(code, reason, message);
  };
  if (auth.mode === 'password') {
    const given = params.auth?.password;
    if (!auth.password) return fail('AUTH_PASSWORD_NOT_CONFIGURED', 'password_missing_config', 'unauthorized: no gateway password is configured');
    if (!given) return fail('AUTH_PASSWORD_MISSING', 'password_missing', 'unauthorized: gateway password missing (send auth.password)');
    if (!secretsEqual(given, auth.password)) return fail('AUTH_PASSWORD_MISMATCH', 'password_mismatch', 'unauthorized: gateway password mismatch');
    limiter.recordSuccess(input.remoteAddress);
    return undefined;
  }
  const given = params.auth?.token ?? params.auth?.deviceToken;
  if (!auth.token) return fail('AUTH_TOKEN_NOT_CONFIGURED', 'token_missing_config', 'unauthorized: no gateway token is configured');
  if (!given) {
    return fail('AUTH_TOKEN_MISSING', 'token_missing', 'unauthorized: gateway token missing (send auth.token; the token is in gateway.auth.token)');
  }
  if (!secretsEqual(given, auth.token)) {
    return fail('AUTH_TOKEN_MISMATCH', 'token_mismatch', 'unauthorized: gateway token mismatch (check OPENCLAW_GATEWAY_TOKEN or gateway.auth.token)');
  }
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
    return reject(
      { code: 'INVALID_REQUEST', message, details: { code: 'INVALID_PARAMS', issues: summarizeIssues(parsed.error, 10, ConnectParams) } },
      1008,
      message,
    );
  }
  const params = parsed.data;
  const protocol = negotiateProtocol(params.minProtocol, params.maxProtocol);
  if (protocol === undefined) {
    return reject(
      {
        code: 'INVALID_REQUEST',
        message: 'protocol mismatch',
        details: {
          code: 'PROTOCOL_MISMATCH',
          expectedProtocol: PROTOCOL_VERSIONS[PROTOCOL_VERSIONS.length - 1],
          supportedProtocols: [...PROTOCOL_VERSIONS],
          minProtocol: params.minProtocol,
          maxProtocol: params.maxProtocol,
        },
      },
      1002,
      'protocol mismatch',
    );
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
      const message = `device auth failed: ${proof.reason}`;
      return reject({ code: 'INVALID_REQUEST', message, details: { code: proof.code, reason: proof.reason } }, 1008, message);
    }
    deviceId = proof.deviceId;
  }
  const denied = checkSharedSecret(auth, params, input, limiter);
  if (denied) return denied;
  return { ok: true, protocol, role, scopes, params, deviceId };
}

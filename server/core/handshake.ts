// Decides the fate of the first frame (docs/protocol.md "Handshake"): connect validation, protocol
// negotiation, device proof and shared-secret auth, in upstream's order. Every error comes from
// `errorsFor('connect')`, so a code the contract's connect entry does not declare does not compile.
import { ConnectParams, PROTOCOL_VERSIONS, type Role } from '../../contract/schemas/connect.js';
import type { OperatorScope } from '../../contract/define.js';
import type { ErrorShape } from '../../contract/schemas/errors.js';
import type { AuthAttempt, AuthRateLimiter } from '../auth/auth-rate-limiter.js';
import { originRefusalMessage, type BrowserOrigin } from '../auth/browser-origin.js';
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
  /** Set when a browser opened the socket: its origin and the upgrade's verdict on it. */
  readonly browserOrigin?: BrowserOrigin | undefined;
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

/** What a browser page may hold when it presented no secret (as GatewayProxy's default cap). */
const BROWSER_SCOPE_CAP: ReadonlySet<OperatorScope> = new Set<OperatorScope>(['operator.read', 'operator.write', 'operator.approvals']);

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

/** The identity a failed-auth budget belongs to: what the client says it is (see AuthRateLimiter). */
function attemptOf(params: ConnectParams, input: HandshakeInput, deviceId: string | undefined): AuthAttempt {
  return {
    address: input.remoteAddress,
    isLoopback: input.isLoopback,
    identity: `ws|${params.client.id}|${params.client.instanceId ?? ''}|${deviceId ?? ''}`,
  };
}

function checkSharedSecret(
  auth: AuthSettings,
  params: ConnectParams,
  input: HandshakeInput,
  limiter: AuthRateLimiter,
  deviceId: string | undefined,
): HandshakeRejected | undefined {
  if (auth.mode === 'none') return undefined;
  const attempt = attemptOf(params, input, deviceId);
  const verdict = limiter.verdict(attempt);
  const rateLimited = (retryAfterMs: number): HandshakeRejected => authFailure('AUTH_RATE_LIMITED', 'rate_limited', retryAfterMs);
  if (verdict.limited && verdict.refusesSecret) return rateLimited(verdict.retryAfterMs);
  const fail = (code: AuthFailureCode, reason: string): HandshakeRejected => {
    limiter.recordFailure(attempt);
    const wait = verdict.limited ? verdict.retryAfterMs : limiter.retryAfterMs(attempt);
    return wait > 0 ? rateLimited(wait) : authFailure(code, reason);
  };
  if (auth.mode === 'password') {
    const given = params.auth?.password;
    if (!auth.password) return fail('AUTH_PASSWORD_NOT_CONFIGURED', 'password_missing_config');
    if (!given) return fail('AUTH_PASSWORD_MISSING', 'password_missing');
    if (!secretsEqual(given, auth.password)) return fail('AUTH_PASSWORD_MISMATCH', 'password_mismatch');
    return undefined;
  }
  const given = params.auth?.token ?? params.auth?.deviceToken;
  if (!auth.token) return fail('AUTH_TOKEN_NOT_CONFIGURED', 'token_missing_config');
  if (!given) return fail('AUTH_TOKEN_MISSING', 'token_missing');
  if (!secretsEqual(given, auth.token)) return fail('AUTH_TOKEN_MISMATCH', 'token_mismatch');
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
  const browser = input.browserOrigin;
  if (browser && !browser.allowed) {
    const message = originRefusalMessage(browser);
    return reject({ code: 'INVALID_REQUEST', message, details: { code: 'CONTROL_UI_ORIGIN_NOT_ALLOWED', reason: browser.reason } }, 1008, message);
  }
  const role = params.role;
  let scopes = role === 'operator' ? normalizeScopes(params.scopes) : [];
  // Without a secret to prove, a page gets no more than the GatewayProxy would give it.
  if (browser && auth.mode === 'none') scopes = scopes.filter((s) => BROWSER_SCOPE_CAP.has(s));
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
  const denied = checkSharedSecret(auth, params, input, limiter, deviceId);
  if (denied) return denied;
  return { ok: true, protocol, role, scopes, params, deviceId };
}

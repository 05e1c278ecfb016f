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
import type { DeviceGate } from './device-gate.js';

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
  /** A device token minted by this connect (sent once in hello-ok). */
  readonly issuedDeviceToken: { readonly token: string; readonly issuedAtMs: number } | undefined;
  /** Node role with a paired device: the declared commands that are approved. */
  readonly approvedCommands: readonly string[] | undefined;
  /** Authenticated with the shared token/password (not a device token). */
  readonly viaSharedSecret: boolean;
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

function rateLimitedFailure(retryAfterMs: number): HandshakeRejected {
  return authFailure('AUTH_RATE_LIMITED', 'rate_limited', retryAfterMs);
}

function checkSharedSecret(
  auth: AuthSettings,
  params: ConnectParams,
  input: HandshakeInput,
  limiter: AuthRateLimiter,
  deviceId: string | undefined,
  presentedToken: string | undefined,
): HandshakeRejected | undefined {
  if (auth.mode === 'none') return undefined;
  const attempt = attemptOf(params, input, deviceId);
  const verdict = limiter.verdict(attempt);
  if (verdict.limited && verdict.refusesSecret) return rateLimitedFailure(verdict.retryAfterMs);
  const fail = (code: AuthFailureCode, reason: string): HandshakeRejected => {
    limiter.recordFailure(attempt);
    const wait = verdict.limited ? verdict.retryAfterMs : limiter.retryAfterMs(attempt);
    return wait > 0 ? rateLimitedFailure(wait) : authFailure(code, reason);
  };
  if (auth.mode === 'password') {
    const given = params.auth?.password;
    if (!auth.password) return fail('AUTH_PASSWORD_NOT_CONFIGURED', 'password_missing_config');
    if (!given) return fail('AUTH_PASSWORD_MISSING', 'password_missing');
    if (!secretsEqual(given, auth.password)) return fail('AUTH_PASSWORD_MISMATCH', 'password_mismatch');
    return undefined;
  }
  const given = presentedToken;
  if (!auth.token) return fail('AUTH_TOKEN_NOT_CONFIGURED', 'token_missing_config');
  if (!given) return fail('AUTH_TOKEN_MISSING', 'token_missing');
  if (!secretsEqual(given, auth.token)) return fail('AUTH_TOKEN_MISMATCH', 'token_mismatch');
  return undefined;
}

export function evaluateHandshake(input: HandshakeInput, auth: AuthSettings, limiter: AuthRateLimiter, devices?: DeviceGate): HandshakeOutcome {
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
  let scopes: readonly OperatorScope[] = role === 'operator' ? normalizeScopes(params.scopes) : [];
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
  const authed = authenticate(params, input, auth, limiter, devices, deviceId, scopes);
  if (!authed.ok) return authed.rejected;
  scopes = authed.scopes;
  let admission: Extract<ReturnType<DeviceGate['admit']>, { ok: true }> | undefined;
  if (deviceId && devices && params.device) {
    const decided = devices.admit({
      deviceId,
      publicKey: params.device.publicKey,
      role,
      scopes,
      client: params.client,
      caps: params.caps,
      commands: params.commands,
      remoteAddress: input.remoteAddress,
      isLoopback: input.isLoopback,
      authVia: authed.via,
    });
    if (!decided.ok) {
      const pairing = connectErrors.PAIRING_REQUIRED({ requestId: decided.requestId, reason: decided.reason });
      return reject(pairing.toShape(), 1008, 'pairing required');
    }
    admission = decided;
    scopes = decided.scopes;
  }
  return {
    ok: true,
    protocol,
    role,
    scopes: [...scopes],
    params,
    deviceId,
    issuedDeviceToken: admission?.issued,
    approvedCommands: admission?.commands,
    viaSharedSecret: authed.via === 'shared-secret',
  };
}

type Authenticated =
  | { readonly ok: true; readonly via: 'shared-secret' | 'device-token' | 'none'; readonly scopes: readonly OperatorScope[] }
  | { readonly ok: false; readonly rejected: HandshakeRejected };

/** A device's own token (auth.deviceToken, or auth.token when it is not the shared secret), else the shared secret. */
function authenticate(
  params: ConnectParams,
  input: HandshakeInput,
  auth: AuthSettings,
  limiter: AuthRateLimiter,
  devices: DeviceGate | undefined,
  deviceId: string | undefined,
  requested: readonly OperatorScope[],
): Authenticated {
  if (auth.mode === 'none') return { ok: true, via: 'none', scopes: requested };
  const given = params.auth ?? {};
  const attempt = attemptOf(params, input, deviceId);
  let deviceTokenFailed = false;
  if (deviceId && devices) {
    const sharedToken = auth.mode === 'token' ? auth.token : undefined;
    const candidate = given.deviceToken ?? (given.token && sharedToken && !secretsEqual(given.token, sharedToken) ? given.token : undefined);
    if (candidate) {
      const verdict = limiter.verdict(attempt);
      if (verdict.limited && verdict.refusesSecret) return { ok: false, rejected: rateLimitedFailure(verdict.retryAfterMs) };
      const check = devices.verifyToken(deviceId, params.role, candidate, requested);
      if (check.ok) return { ok: true, via: 'device-token', scopes: check.scopes };
      deviceTokenFailed = true;
    }
  }
  const presented = given.token !== undefined && given.token !== given.deviceToken ? given.token : deviceTokenFailed ? undefined : (given.token ?? given.deviceToken);
  if (deviceTokenFailed && !presented && !given.password) {
    limiter.recordFailure(attempt);
    const wait = limiter.retryAfterMs(attempt);
    return {
      ok: false,
      rejected: wait > 0 ? rateLimitedFailure(wait) : authFailure('AUTH_DEVICE_TOKEN_MISMATCH', 'device_token_mismatch'),
    };
  }
  const denied = checkSharedSecret(auth, params, input, limiter, deviceId, presented);
  return denied ? { ok: false, rejected: denied } : { ok: true, via: 'shared-secret', scopes: requested };
}

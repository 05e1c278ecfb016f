// The dispatcher's steps, in order. Before the handler: access (role and scope), implemented,
// in-flight limit (and duplicate ids), params validation. After it: the result and the error
// checked against the contract (tests), and a trace line (debug logging). A step that has nothing
// to do is left out of the list, so the hot path runs only what it needs.
import { ERROR_CATALOG, GENERIC_DETAIL_CODES, type ErrorDetailCode, type ErrorShape } from '../../contract/schemas/errors.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import type { CallPort } from './dispatcher.js';
import type { GatewayError } from './gateway-error.js';
import { gatewayErrors } from './error-constructors.js';
import { INTERNAL_ERROR } from './gateway-error.js';
import type { BoundMethod, MethodEntry } from './method-entry.js';
import { isNotImplemented } from './not-implemented.js';
import { checkMethodAccess, satisfyingScopes } from './scopes.js';
import { validateUntrusted } from './untrusted-input.js';
import { describeIssues, summarizeIssues } from './zod-issues.js';

/** One call on its way through the steps. `params` becomes the validated value. */
export interface CallAttempt {
  readonly id: string;
  readonly bound: BoundMethod;
  params: unknown;
  readonly port: CallPort;
  readonly traceparent: string | undefined;
  /** performance.now() when the handler started (set only when an after-step runs). */
  startedAt: number;
}

export type CallOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: ErrorShape; readonly payload?: unknown; readonly thrown?: GatewayError };

export interface DispatchStep {
  readonly name: string;
  /** Before the handler: an error refuses the call. */
  check?(attempt: CallAttempt): ErrorShape | undefined;
  /** After the handler (or a refusal): may replace the outcome. */
  settled?(attempt: CallAttempt, outcome: CallOutcome): CallOutcome;
}

/** Codes any method may answer with: the dispatcher's own refusals and params errors. */
export const DISPATCH_ERROR_CODES: ReadonlySet<string> = new Set(GENERIC_DETAIL_CODES);

/** Why a handler's error breaks the contract (undeclared code, wrong top-level code, bad details), or undefined. */
export function errorContractViolation(entry: MethodEntry, error: ErrorShape): string | undefined {
  const code = (error.details as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return `${entry.name} answered ${error.code} without details.code`;
  if (!DISPATCH_ERROR_CODES.has(code) && !entry.errors.includes(code as ErrorDetailCode)) return `${entry.name} answered ${code}, which its contract does not declare`;
  const catalogued = Object.hasOwn(ERROR_CATALOG, code) ? ERROR_CATALOG[code as ErrorDetailCode] : undefined;
  if (!catalogued) return `${entry.name} answered ${code}, which is not in the error catalog (contract/schemas/errors.ts)`;
  if (catalogued.top !== error.code) return `${entry.name} answered ${code} as ${error.code}; the error catalog makes it ${catalogued.top}`;
  const details = catalogued.details.safeParse(error.details);
  if (!details.success) return `${entry.name} answered ${code} with details that do not match the error catalog: ${describeIssues(details.error)}`;
  return undefined;
}

const accessStep: DispatchStep = {
  name: 'access',
  check({ bound: { entry }, port }) {
    const access = checkMethodAccess(port.role, port.scopes, entry.scope);
    if (access.ok) return undefined;
    if (access.reason === 'role') {
      return gatewayErrors.MISSING_SCOPE({ role: access.role, requiredRole: entry.scope === 'node' ? 'node' : 'operator' }).toShape();
    }
    return gatewayErrors.MISSING_SCOPE({ missingScope: access.missingScope, requiredScopes: satisfyingScopes(access.missingScope) }).toShape();
  },
};

const implementedStep: DispatchStep = {
  name: 'implemented',
  check({ bound }) {
    if (!isNotImplemented(bound.handler)) return undefined;
    return gatewayErrors.NOT_IMPLEMENTED({ method: bound.entry.name }).toShape();
  },
};

function inflightStep(maxInFlight: () => number): DispatchStep {
  return {
    name: 'in-flight limit',
    check({ id, port }) {
      if (port.inflight.has(id)) return { code: 'INVALID_REQUEST', message: `duplicate request id: ${id} is still in flight` };
      const limit = maxInFlight();
      if (port.inflight.size < limit) return undefined;
      return gatewayErrors.TOO_MANY_IN_FLIGHT({ limit }, { retryAfterMs: 100 }).toShape();
    },
  };
}

const paramsStep: DispatchStep = {
  name: 'params',
  check(attempt) {
    const { entry } = attempt.bound;
    const parsed = validateUntrusted(entry.params, attempt.params);
    if (parsed.success) {
      attempt.params = parsed.data;
      return undefined;
    }
    return gatewayErrors.INVALID_PARAMS({ issues: summarizeIssues(parsed.error, 10, entry.params) }, `invalid ${entry.name} params: ${describeIssues(parsed.error, 3, entry.params)}`).toShape();
  },
};

function contractStep(logger: GatewayLogger): DispatchStep {
  return {
    name: 'contract',
    settled(attempt, outcome) {
      const { entry } = attempt.bound;
      if (outcome.ok) {
        const checked = entry.result.safeParse(outcome.value);
        if (checked.success) return outcome;
        logger.error('handler result does not match the contract', { method: entry.name, issues: summarizeIssues(checked.error) });
        return { ok: false, error: Object.assign({}, INTERNAL_ERROR, { details: { contractViolation: describeIssues(checked.error) } }) };
      }
      if (!outcome.thrown) return outcome; // a dispatcher refusal or an INTERNAL
      const violation = errorContractViolation(entry, outcome.error);
      if (violation === undefined) return outcome;
      logger.error('handler error does not match the contract', { method: entry.name, violation, message: outcome.error.message });
      return { ok: false, error: Object.assign({}, INTERNAL_ERROR, { details: { contractViolation: violation, original: outcome.error } }) };
    },
  };
}

function traceStep(logger: GatewayLogger): DispatchStep {
  return {
    name: 'trace',
    settled(attempt, outcome) {
      const fields: Record<string, unknown> = { method: attempt.bound.entry.name, connId: attempt.port.handle.connId, ok: outcome.ok };
      if (!outcome.ok) fields.code = outcome.error.code;
      fields.ms = attempt.startedAt ? Math.round((performance.now() - attempt.startedAt) * 100) / 100 : 0;
      if (attempt.traceparent) fields.traceparent = attempt.traceparent;
      logger.debug('rpc', fields);
      return outcome;
    },
  };
}

export function beforeSteps(options: { maxInFlight: () => number }): DispatchStep[] {
  return [accessStep, implementedStep, inflightStep(options.maxInFlight), paramsStep];
}

export function afterSteps(options: { logger: GatewayLogger; validateContract: boolean }): DispatchStep[] {
  const steps: DispatchStep[] = [];
  if (options.validateContract) steps.push(contractStep(options.logger));
  if (options.logger.pino.isLevelEnabled('debug')) steps.push(traceStep(options.logger));
  return steps;
}

import { OPERATOR_SCOPES, type MethodAccess, type EventAccess, type OperatorScope } from '../../contract/define.js';
import type { Role } from '../../contract/schemas/connect.js';

const KNOWN = new Set<string>(OPERATOR_SCOPES);

/** The one scope rule (access checks, error details, codegen's compatibility check): admin satisfies every scope, write satisfies read, others only themselves. */
export function scopeSatisfies(held: OperatorScope, required: OperatorScope): boolean {
  return held === required || held === 'operator.admin' || (required === 'operator.read' && held === 'operator.write');
}

/** Per required scope, every scope that satisfies it (in OPERATOR_SCOPES order). */
const SATISFYING_SCOPES = Object.fromEntries(
  OPERATOR_SCOPES.map((required) => [required, OPERATOR_SCOPES.filter((held) => scopeSatisfies(held, required))]),
) as unknown as Readonly<Record<OperatorScope, readonly OperatorScope[]>>;

export function normalizeScopes(requested: readonly string[] | undefined): OperatorScope[] {
  const out = new Set<OperatorScope>();
  for (const s of requested ?? []) if (KNOWN.has(s)) out.add(s as OperatorScope);
  return OPERATOR_SCOPES.filter((s) => out.has(s));
}

/** Whether any granted scope satisfies `required` (scopeSatisfies). */
export function hasScope(granted: ReadonlySet<OperatorScope>, required: OperatorScope): boolean {
  const satisfying = SATISFYING_SCOPES[required];
  for (let i = 0; i < satisfying.length; i++) if (granted.has(satisfying[i]!)) return true;
  return false;
}

export type AccessDecision =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'role'; readonly role: Role }
  | { readonly ok: false; readonly reason: 'scope'; readonly missingScope: OperatorScope };

export function checkMethodAccess(role: Role, granted: ReadonlySet<OperatorScope>, access: MethodAccess): AccessDecision {
  if (access === 'any') return { ok: true };
  if (access === 'node') return role === 'node' ? { ok: true } : { ok: false, reason: 'role', role };
  if (role !== 'operator') return { ok: false, reason: 'role', role };
  return hasScope(granted, access) ? { ok: true } : { ok: false, reason: 'scope', missingScope: access };
}

export function canReceiveEvent(role: Role, granted: ReadonlySet<OperatorScope>, access: EventAccess): boolean {
  if (access === 'any') return true;
  if (access === 'targeted') return false;
  return role === 'operator' && hasScope(granted, access);
}

/** The scopes a request for `required` would be satisfied by, for error details. */
export function satisfyingScopes(required: OperatorScope): OperatorScope[] {
  return [...SATISFYING_SCOPES[required]];
}

import { OPERATOR_SCOPES, type MethodAccess, type EventAccess, type OperatorScope } from '../../contract/define.js';
import type { Role } from '../../contract/schemas/connect.js';

const KNOWN = new Set<string>(OPERATOR_SCOPES);

export function normalizeScopes(requested: readonly string[] | undefined): OperatorScope[] {
  const out = new Set<OperatorScope>();
  for (const s of requested ?? []) if (KNOWN.has(s)) out.add(s as OperatorScope);
  return OPERATOR_SCOPES.filter((s) => out.has(s));
}

/** admin satisfies everything; write satisfies read; other scopes must match exactly. */
export function hasScope(granted: ReadonlySet<OperatorScope>, required: OperatorScope): boolean {
  if (granted.has('operator.admin') || granted.has(required)) return true;
  return required === 'operator.read' && granted.has('operator.write');
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
  if (required === 'operator.admin') return ['operator.admin'];
  if (required === 'operator.read') return ['operator.read', 'operator.write', 'operator.admin'];
  return [required, 'operator.admin'];
}

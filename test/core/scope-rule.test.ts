// One scope rule: the access check, the MISSING_SCOPE details and codegen's compatibility check all
// follow scopeSatisfies (admin satisfies all, write satisfies read, others only themselves).
import { describe, expect, it } from 'vitest';
import { OPERATOR_SCOPES } from '../../contract/define.js';
import { hasScope, satisfyingScopes, scopeSatisfies } from '../../server/core/scopes.js';

describe('scope rule', () => {
  it('the rule itself', () => {
    expect(OPERATOR_SCOPES.filter((held) => scopeSatisfies(held, 'operator.read'))).toEqual(['operator.read', 'operator.write', 'operator.admin']);
    expect(OPERATOR_SCOPES.filter((held) => scopeSatisfies(held, 'operator.write'))).toEqual(['operator.write', 'operator.admin']);
    expect(OPERATOR_SCOPES.filter((held) => scopeSatisfies(held, 'operator.approvals'))).toEqual(['operator.admin', 'operator.approvals']);
    expect(OPERATOR_SCOPES.filter((held) => scopeSatisfies(held, 'operator.admin'))).toEqual(['operator.admin']);
  });

  it('hasScope and satisfyingScopes agree with it for every pair', () => {
    for (const required of OPERATOR_SCOPES) {
      for (const held of OPERATOR_SCOPES) expect(hasScope(new Set([held]), required)).toBe(scopeSatisfies(held, required));
      expect(satisfyingScopes(required)).toEqual(OPERATOR_SCOPES.filter((held) => scopeSatisfies(held, required)));
      expect(hasScope(new Set(), required)).toBe(false);
    }
  });
});

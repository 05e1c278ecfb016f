// Type-level pins for the server side of the contract, checked by `tsc` (npm test runs it before
// vitest): a missing handler, a wrong result type and an error code the method does not declare
// do not compile. Each `@ts-expect-error` fails the build if the line below it ever compiles.
import { describe, expectTypeOf, it } from 'vitest';
import type { GenericDetailCode } from '../../contract/schemas/errors.js';
import type { GatewayHandlers, MethodHandler } from '../../generated/server/handlers.js';
import { errorsFor, type MethodErrorCode } from '../../generated/server/method-errors.js';
import type { MethodResult } from '../../generated/server/method-types.js';
import { gatewayErrors } from '../../server/core/error-constructors.js';
import type { GatewayError } from '../../server/core/gateway-error.js';

declare const all: GatewayHandlers;

describe('handler set', () => {
  it('a missing handler is a compile error', () => {
    const { health: _health, ...withoutHealth } = all;
    // @ts-expect-error `health` has no handler
    const incomplete: GatewayHandlers = withoutHealth;
    void incomplete;
  });

  it('a handler answering the wrong shape is a compile error', () => {
    // @ts-expect-error agents.list answers {defaultId, mainKey, scope, agents[]}
    const wrong: MethodHandler<'agents.list'> = () => ({ agents: 42 });
    void wrong;
    const right: MethodHandler<'agents.list'> = () => ({ defaultId: 'main', mainKey: 'main', scope: 'per-sender', agents: [] });
    expectTypeOf(right).returns.toEqualTypeOf<MethodResult<'agents.list'> | Promise<MethodResult<'agents.list'>>>();
  });
});

describe('errorsFor(method)', () => {
  it('offers the declared codes and the generic ones, nothing else', () => {
    expectTypeOf<MethodErrorCode<'chat.inject'>>().toEqualTypeOf<'SESSION_NOT_FOUND' | GenericDetailCode>();
    const inject = errorsFor('chat.inject');
    expectTypeOf(inject).toHaveProperty('SESSION_NOT_FOUND');
    expectTypeOf(inject).toHaveProperty('INVALID_PARAMS');
    // @ts-expect-error chat.inject does not declare JOB_NOT_FOUND
    void inject.JOB_NOT_FOUND;
    // @ts-expect-error agents.list declares no codes of its own
    void errorsFor('agents.list').AGENT_NOT_FOUND;
  });

  it('connect offers every code the handshake produces', () => {
    const connect = errorsFor('connect');
    expectTypeOf(connect).toHaveProperty('AUTH_TOKEN_NOT_CONFIGURED');
    expectTypeOf(connect).toHaveProperty('AUTH_PASSWORD_MISMATCH');
    expectTypeOf(connect).toHaveProperty('DEVICE_AUTH_NONCE_REQUIRED');
  });

  it('types the details: one key per code, no other', () => {
    const built = errorsFor('chat.inject').SESSION_NOT_FOUND({ key: 'agent:main:x' });
    expectTypeOf(built).toExtend<GatewayError>();
    expectTypeOf(built.code).toEqualTypeOf<'NOT_FOUND'>();
    expectTypeOf(built.details).toEqualTypeOf<{ code: 'SESSION_NOT_FOUND'; key: string }>();
    // @ts-expect-error SESSION_NOT_FOUND names the session as `key`
    errorsFor('chat.inject').SESSION_NOT_FOUND({ sessionKey: 'agent:main:x' });
    // @ts-expect-error the key is required
    gatewayErrors.SESSION_NOT_FOUND();
    // A code without required fields may be built bare; a string option is the message.
    expectTypeOf(gatewayErrors.MESSAGE_REQUIRED()).toExtend<GatewayError>();
    expectTypeOf(gatewayErrors.SUBSCRIPTION_LIMIT({ limit: 3 }, 'wait').details.limit).toEqualTypeOf<number>();
  });
});

// Type-level pins for the SDK: generated calls are typed (params, result), and a failure narrows to
// the method's error union by `detailCode`. Checked by `tsc` (npm test runs it before vitest).
import { describe, expectTypeOf, it } from 'vitest';
import type { GenericDetailCode } from '../../contract/schemas/errors.js';
import type { GatewayMethods } from '../../generated/clients/method-map.js';
import { isMethodError, type MethodError, type OpenClawClient } from '../../clients/index.js';
import type { BrowserGatewayClient } from '../../clients/browser.js';

declare const client: OpenClawClient;
declare const browser: BrowserGatewayClient;

describe('SDK calls', () => {
  it('take the params and resolve with the result of their method', () => {
    expectTypeOf(client.sessions.patch).parameter(0).toEqualTypeOf<GatewayMethods['sessions.patch']['params']>();
    expectTypeOf(client.sessions.patch).returns.resolves.toEqualTypeOf<GatewayMethods['sessions.patch']['result']>();
    expectTypeOf(client.agents.files.get).returns.resolves.toEqualTypeOf<GatewayMethods['agents.files.get']['result']>();
    expectTypeOf(client.request<'config.get'>).returns.resolves.toEqualTypeOf<GatewayMethods['config.get']['result']>();
    // @ts-expect-error sessions.patch needs a key
    void client.sessions.patch({});
    // @ts-expect-error unknown params are refused
    void client.sessions.patch({ key: 'main', nope: 1 });
    // @ts-expect-error the browser client has the chat methods only
    void browser.sessions;
    expectTypeOf(browser.chat.history).returns.resolves.toEqualTypeOf<GatewayMethods['chat.history']['result']>();
  });
});

describe('MethodError', () => {
  it('narrows on detailCode to the typed details', () => {
    const handle = (error: unknown): void => {
      if (!isMethodError(error, 'sessions.delete')) return;
      expectTypeOf(error.detailCode).toEqualTypeOf<'SESSION_NOT_FOUND' | 'SESSION_BUSY' | GenericDetailCode | undefined>();
      if (error.detailCode === 'SESSION_NOT_FOUND') {
        expectTypeOf(error.code).toEqualTypeOf<'NOT_FOUND'>();
        expectTypeOf(error.details).toEqualTypeOf<{ code: 'SESSION_NOT_FOUND'; key: string }>();
      }
      if (error.detailCode === 'MISSING_SCOPE') expectTypeOf(error.details.missingScope).toEqualTypeOf<string | undefined>();
      // @ts-expect-error sessions.delete never answers JOB_NOT_FOUND
      if (error.detailCode === 'JOB_NOT_FOUND') return;
    };
    void handle;
  });

  it('of a method with no codes of its own is the generic codes or none', () => {
    expectTypeOf<MethodError<'health'>['detailCode']>().toEqualTypeOf<GenericDetailCode | undefined>();
  });
});

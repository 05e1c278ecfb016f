// `{param}` segments of HTTP endpoint paths: how codegen turns them into Hono patterns, 405 patterns
// and OpenAPI parameters, and the contract rules it enforces on them.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { endpoint } from '../../contract/define.js';
import { honoPathOf, pathParamsOf, pathPatternOf, type ContractModel } from '../../codegen/contract-model.js';
import { emitHttp } from '../../codegen/emit-http.js';
import { buildOpenApi } from '../../codegen/emit-json-schema.js';
import { validateModel } from '../../codegen/validate-model.js';

const modelWith = (paths: string[]): ContractModel => ({
  hash: 'test',
  methods: [],
  events: [],
  http: [{ name: 'thing', spec: endpoint({ verb: 'GET', paths, body: null, response: z.object({ id: z.string() }), auth: 'bearer', doc: 'A thing.' }), params: pathParamsOf(paths[0]!) }],
  groups: [],
  coreMethods: [],
  browserMethods: [],
  browserEvents: [],
});

describe('path params', () => {
  it('become a Hono pattern matching the rest of the path, and a 405 RegExp', () => {
    expect(pathParamsOf('/v1/models/{id}')).toEqual(['id']);
    expect(pathParamsOf('/health')).toEqual([]);
    expect(honoPathOf('/v1/models/{id}')).toBe('/v1/models/:id{.+}');
    const pattern = new RegExp(pathPatternOf('/v1/models/{id}'));
    expect(pattern.test('/v1/models/openclaw/main')).toBe(true);
    expect(pattern.test('/v1/models/')).toBe(false);
    expect(pattern.test('/v1/modelsX/a')).toBe(false);
    expect(new RegExp(pathPatternOf('/openapi.json')).test('/openapiXjson')).toBe(false);
  });

  it('routes with params are registered after every fixed route (Hono tries them in order)', () => {
    const model = modelWith(['/things/{id}']);
    const withFixed: ContractModel = {
      ...model,
      http: [...model.http, { name: 'zeta', spec: endpoint({ verb: 'GET', paths: ['/things/special'], body: null, response: z.object({}), auth: 'none', doc: 'Fixed.' }), params: [] }],
    };
    const text = emitHttp(withFixed)[0]!.text;
    expect(text.indexOf("app.get('/things/special'")).toBeGreaterThan(0);
    expect(text.indexOf("app.get('/things/:id{.+}'")).toBeGreaterThan(text.indexOf("app.get('/things/special'"));
    expect(text).toContain("const params = { id: c.req.param('id') ?? '' };");
    expect(text).toContain('[/^\\/things\\/.+$/, [\'GET\', \'HEAD\']],');
  });

  it('appear in OpenAPI as required path parameters, with a 404', () => {
    const doc = buildOpenApi(modelWith(['/things/{id}'])) as { paths: Record<string, { get: { parameters: unknown[]; responses: Record<string, unknown> } }> };
    expect(doc.paths['/things/{id}']!.get.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(doc.paths['/things/{id}']!.get.responses).toHaveProperty('404');
  });

  it('must be the same on every path of an endpoint, and well formed', () => {
    expect(() => validateModel(modelWith(['/things/{id}', '/stuff/{key}']))).toThrow('paths do not all have the params {id}');
    expect(() => validateModel(modelWith(['/things/{Id}']))).toThrow('malformed {param}');
    expect(() => validateModel(modelWith(['things']))).toThrow('does not start with /');
    expect(() => validateModel(modelWith(['/things/{id}']))).not.toThrow();
  });
});

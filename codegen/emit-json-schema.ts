// Emits generated/schema: protocol.schema.json (zod v4's native JSON Schema of every frame, method
// and event) and openapi.json (OpenAPI 3.1 of the HTTP endpoints).
import { contract } from '../contract/gateway.contract.js';
import { jsonSchemaOf } from '../contract/json-schema.js';
import { ERROR_CATALOG, ERROR_DETAIL_CODES, httpStatusOf } from '../contract/schemas/errors.js';
import pkg from '../package.json' with { type: 'json' };
import type { ContractModel } from './contract-model.js';
import { emitJson, type EmittedFile } from './output.js';

export function buildProtocolSchema(model: ContractModel): Record<string, unknown> {
  const methods: Record<string, unknown> = {};
  for (const m of model.methods) {
    methods[m.name] = {
      doc: m.spec.doc,
      scope: m.spec.scope,
      errors: [...m.spec.errors],
      aliases: [...m.spec.aliases].sort(),
      params: jsonSchemaOf(m.spec.params, 'input'),
      result: jsonSchemaOf(m.spec.result, 'output'),
      ...(m.spec.interim ? { interim: jsonSchemaOf(m.spec.interim, 'output') } : {}),
    };
  }
  const events: Record<string, unknown> = {};
  for (const e of model.events) {
    events[e.name] = {
      doc: e.spec.doc,
      scope: e.spec.scope,
      droppable: e.spec.droppable,
      payload: jsonSchemaOf(e.spec.payload, 'output'),
    };
  }
  const errors: Record<string, unknown> = {};
  for (const code of ERROR_DETAIL_CODES) {
    const entry = ERROR_CATALOG[code];
    errors[code] = { code: entry.top, httpStatus: httpStatusOf(code), retryable: entry.retryable, details: jsonSchemaOf(entry.details, 'output') };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://openclaw.ai/protocol.schema.json',
    title: 'OpenClaw Gateway Protocol',
    'x-protocol-versions': [...contract.protocolVersions],
    oneOf: ['RequestFrame', 'ResponseFrame', 'EventFrame', 'CancelFrame'].map((name) => ({ $ref: `#/$defs/${name}` })),
    $defs: {
      RequestFrame: jsonSchemaOf(contract.frames.request, 'input'),
      ResponseFrame: jsonSchemaOf(contract.frames.response, 'output'),
      EventFrame: jsonSchemaOf(contract.frames.event, 'output'),
      CancelFrame: jsonSchemaOf(contract.frames.cancel, 'input'),
      ConnectParams: jsonSchemaOf(contract.connectParams, 'input'),
      HelloOk: jsonSchemaOf(contract.helloOk, 'output'),
      OpenClawConfig: jsonSchemaOf(contract.config, 'input'),
    },
    methods,
    events,
    /** Every details.code: its top-level code, HTTP status, whether it is retryable, and its details. */
    errors,
  };
}

const ERROR_BODY = {
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    error: {
      type: 'object',
      properties: { message: { type: 'string' }, type: { type: 'string' } },
      required: ['message', 'type'],
    },
  },
  required: ['error'],
};

export function buildOpenApi(model: ContractModel): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of model.http) {
    for (const path of e.spec.paths) {
      const json = { 'application/json': { schema: jsonSchemaOf(e.spec.response, 'output') } };
      const content =
        e.name === 'dashboard'
          ? { 'text/html': { schema: { type: 'string' } } }
          : e.spec.streams
            ? { ...json, 'text/event-stream': { schema: { type: 'string' } } }
            : json;
      const responses: Record<string, unknown> = { '200': { description: 'Success', content } };
      if (e.spec.body) responses['400'] = { description: 'Invalid request', content: { 'application/json': { schema: ERROR_BODY } } };
      if (e.params.length) responses['404'] = { description: 'No such resource', content: { 'application/json': { schema: ERROR_BODY } } };
      if (e.spec.auth === 'bearer') {
        responses['401'] = { description: 'Missing or wrong bearer token', content: { 'application/json': { schema: ERROR_BODY } } };
        responses['429'] = { description: 'Too many failed authentication attempts', headers: { 'Retry-After': { schema: { type: 'integer' } } } };
      }
      paths[path] = {
        ...(paths[path] ?? {}),
        [e.spec.verb.toLowerCase()]: {
          operationId: e.spec.paths.length > 1 ? `${e.name}${path.replace(/[^A-Za-z0-9]+/g, '_')}` : e.name,
          summary: e.spec.doc,
          ...(e.spec.auth === 'bearer' ? { security: [{ bearerAuth: [] }] } : { security: [] }),
          ...(e.params.length
            ? { parameters: e.params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })) }
            : {}),
          ...(e.spec.body
            ? {
                requestBody: {
                  required: true,
                  content: { 'application/json': { schema: jsonSchemaOf(e.spec.body, 'input') } },
                },
              }
            : {}),
          responses,
        },
      };
    }
  }
  const sortedPaths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    openapi: '3.1.0',
    info: {
      title: 'OpenClaw Gateway HTTP API',
      // The gateway's version: the contract hash would make this file change with every contract edit.
      version: pkg.version,
      description: 'OpenAI-compatible endpoints, tool invocation and probes, served beside the WebSocket on one port.',
    },
    servers: [{ url: 'http://127.0.0.1:18789' }],
    components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    paths: sortedPaths,
  };
}

export function emitJsonSchemas(model: ContractModel): EmittedFile[] {
  return [
    emitJson('schema/protocol.schema.json', buildProtocolSchema(model)),
    emitJson('schema/openapi.json', buildOpenApi(model)),
  ];
}

// GET /openapi.json: the OpenAPI 3.1 document generated from the contract's HTTP endpoints.
import { z } from 'zod';

export const OpenApiDocument = z.looseObject({
  openapi: z.string().regex(/^3\.1\.\d+$/),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

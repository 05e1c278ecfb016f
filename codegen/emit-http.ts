// Emits generated/http/routes.ts: the Hono routes of every HTTP endpoint in the contract, each
// with auth, body validation and a typed handler hook; other verbs on a known path answer 405.
import { honoPathOf, pathPatternOf, type ContractModel, type HttpModel } from './contract-model.js';
import { docText, emitTs, lit, unionType, type EmittedFile } from './output.js';

/** `{ readonly id: string }` for an endpoint with path params; undefined without. */
const paramsType = (e: HttpModel): string | undefined => (e.params.length ? `{ ${e.params.map((p) => `readonly ${p}: string`).join('; ')} }` : undefined);

export function emitHttp(model: ContractModel): EmittedFile[] {
  const routes = emitTs('http/routes.ts', (file) => {
    file.addImportDeclaration({ isTypeOnly: true, moduleSpecifier: 'hono', namedImports: ['Context', 'Hono'] });
    file.addImportDeclaration({ isTypeOnly: true, moduleSpecifier: 'zod', namedImports: ['z'] });
    file.addImportDeclaration({ moduleSpecifier: '../../contract/gateway.contract.js', namedImports: ['contract'] });
    file.addImportDeclaration({
      isTypeOnly: true,
      moduleSpecifier: '../../server/http/route-runtime.js',
      namedImports: ['HttpRouteRuntime'],
    });
    file.addTypeAlias({ name: 'Http', type: 'typeof contract.http' });
    file.addTypeAlias({
      isExported: true,
      name: 'HttpEndpointName',
      type: unionType(model.http.map((e) => lit(e.name))),
    });
    file.addTypeAlias({
      isExported: true,
      name: 'HttpResponseBody',
      typeParameters: [{ name: 'E', constraint: 'HttpEndpointName' }],
      type: "z.input<Http[E]['response']>",
      docs: ['The JSON body an endpoint answers with on success.'],
    });
    file.addInterface({
      isExported: true,
      name: 'HttpHandlers',
      docs: ['One hook per HTTP endpoint; auth and body validation have already run.'],
      methods: model.http.map((e) => ({
        name: e.name,
        docs: [docText(`${e.spec.doc} ${e.spec.verb} ${e.spec.paths.join(', ')} (auth: ${e.spec.auth}).`)],
        parameters: [
          { name: 'c', type: 'Context' },
          ...(paramsType(e) ? [{ name: 'params', type: paramsType(e)! }] : []),
          ...(e.spec.body ? [{ name: 'body', type: `z.output<NonNullable<Http[${lit(e.name)}]['body']>>` }] : []),
        ],
        returnType: 'Response | Promise<Response>',
      })),
    });
    file.addFunction({
      isExported: true,
      name: 'registerHttpRoutes',
      parameters: [
        { name: 'app', type: 'Hono' },
        { name: 'handlers', type: 'HttpHandlers' },
        { name: 'rt', type: 'HttpRouteRuntime' },
      ],
      returnType: 'void',
      statements: (w) => {
        if (model.http.length === 0) {
          w.writeLine('void app;').writeLine('void handlers;').writeLine('void rt;');
          return;
        }
        const allowByPath = new Map<string, string[]>();
        for (const e of model.http) {
          for (const path of e.spec.paths) {
            const allowed = allowByPath.get(path) ?? [];
            allowed.push(e.spec.verb);
            if (e.spec.verb === 'GET') allowed.push('HEAD');
            allowByPath.set(path, allowed);
          }
        }
        // Fixed paths first: Hono tries routes in order, and `/a/{id}` would also match `/a/b`.
        const fixedFirst = [...model.http].sort((a, b) => Number(a.params.length > 0) - Number(b.params.length > 0));
        for (const e of fixedFirst) {
          for (const path of e.spec.paths) {
            const verb = e.spec.verb.toLowerCase();
            w.write(`app.${verb}(${lit(honoPathOf(path))}, async (c) => `).inlineBlock(() => {
              w.writeLine(`const denied = rt.authorize(c, ${lit(e.name)}, ${lit(e.spec.auth)});`);
              w.writeLine('if (denied) return denied;');
              const args = ['c'];
              if (e.params.length) {
                w.writeLine(`const params = { ${e.params.map((p) => `${p}: c.req.param(${lit(p)}) ?? ''`).join(', ')} };`);
                args.push('params');
              }
              if (e.spec.body) {
                w.writeLine(
                  `const body = await rt.readBody(c, ${lit(e.name)}, contract.http[${lit(e.name)}].body);`,
                );
                w.writeLine('if (!body.ok) return body.response;');
                args.push('body.value');
              }
              w.writeLine(`return handlers.${e.name}(${args.join(', ')});`);
            });
            w.write(');').newLine();
          }
        }
        // A known path with another method is a 405, answered from the not-found hook: a second
        // route on the path (app.all) would make Hono compose two handlers on every request.
        const sorted = [...allowByPath].sort(([a], [b]) => (a < b ? -1 : 1));
        const listOf = (allowed: string[]): string => `[${[...new Set(allowed)].sort().map(lit).join(', ')}]`;
        const fixed = sorted.filter(([path]) => !path.includes('{'));
        const patterned = sorted.filter(([path]) => path.includes('{'));
        w.write('const allowedMethods: Readonly<Record<string, readonly string[]>> = ').inlineBlock(() => {
          for (const [path, allowed] of fixed) w.writeLine(`${lit(path)}: ${listOf(allowed)},`);
        });
        w.write(';').newLine();
        if (patterned.length) {
          w.writeLine('/** Paths with parameters, tried after the fixed ones. */');
          w.write('const allowedByPattern: readonly (readonly [RegExp, readonly string[]])[] = [').newLine();
          w.indent(() => {
            for (const [path, allowed] of patterned) w.writeLine(`[/${pathPatternOf(path)}/, ${listOf(allowed)}],`);
          });
          w.writeLine('];');
        }
        w.writeLine('app.notFound((c) => {');
        w.indent(() => {
          w.writeLine(`const ${patterned.length ? 'fixedAllowed' : 'allowed'} = Object.hasOwn(allowedMethods, c.req.path) ? allowedMethods[c.req.path] : undefined;`);
          if (patterned.length) w.writeLine('const allowed = fixedAllowed ?? allowedByPattern.find(([pattern]) => pattern.test(c.req.path))?.[1];');
          w.writeLine('return allowed ? rt.methodNotAllowed(c, allowed) : rt.notFound(c);');
        });
        w.writeLine('});');
      },
    });
  });
  return [routes];
}

// Emits generated/server: method/event types, the handler interfaces per namespace, the method and
// event tables the transport checks against, and the dispatch table binding handlers to methods.
import { VariableDeclarationKind } from 'ts-morph';
import { pascal, type ContractModel, type MethodModel } from './contract-model.js';
import { arrayLiteral, docText, emitTs, lit, unionType, type EmittedFile } from './output.js';

const union = (names: readonly string[]): string => unionType(names.map(lit));

function handled(model: ContractModel): MethodModel[] {
  return model.methods.filter((m) => !model.coreMethods.includes(m.name));
}

function emitMethodTypes(model: ContractModel): EmittedFile {
  return emitTs('server/method-types.ts', (file) => {
    file.addImportDeclaration({ isTypeOnly: true, moduleSpecifier: 'zod', namedImports: ['z'] });
    file.addImportDeclaration({
      isTypeOnly: true,
      moduleSpecifier: '../../contract/gateway.contract.js',
      namedImports: ['contract'],
    });
    file.addTypeAlias({ name: 'Methods', type: 'typeof contract.methods' });
    file.addTypeAlias({ name: 'Events', type: 'typeof contract.events' });
    file.addTypeAlias({ isExported: true, name: 'MethodName', type: union(model.methods.map((m) => m.name)) });
    file.addTypeAlias({
      isExported: true,
      name: 'HandledMethodName',
      docs: ['Methods with a handler; the core ones are served by the transport itself.'],
      type: `Exclude<MethodName, ${union(model.coreMethods)}>`,
    });
    file.addTypeAlias({
      isExported: true,
      name: 'InterimMethodName',
      type: union(model.methods.filter((m) => m.spec.interim).map((m) => m.name)),
    });
    file.addTypeAlias({
      isExported: true,
      name: 'MethodParams',
      typeParameters: [{ name: 'M', constraint: 'MethodName' }],
      type: "z.output<Methods[M]['params']>",
      docs: ['Params as a handler receives them (after defaults).'],
    });
    file.addTypeAlias({
      isExported: true,
      name: 'MethodResult',
      typeParameters: [{ name: 'M', constraint: 'MethodName' }],
      type: "z.input<Methods[M]['result']>",
    });
    file.addTypeAlias({
      isExported: true,
      name: 'MethodInterim',
      typeParameters: [{ name: 'M', constraint: 'InterimMethodName' }],
      type: "z.input<NonNullable<Methods[M]['interim']>>",
    });
    file.addTypeAlias({ isExported: true, name: 'EventName', type: union(model.events.map((e) => e.name)) });
    file.addTypeAlias({
      isExported: true,
      name: 'EventPayload',
      typeParameters: [{ name: 'E', constraint: 'EventName' }],
      type: "z.input<Events[E]['payload']>",
    });
  });
}

function emitHandlers(model: ContractModel): EmittedFile {
  return emitTs('server/handlers.ts', (file) => {
    file.addImportDeclaration({
      isTypeOnly: true,
      moduleSpecifier: '../../server/core/method-context.js',
      namedImports: ['InterimContext', 'MethodContext'],
    });
    file.addImportDeclaration({
      isTypeOnly: true,
      moduleSpecifier: '../../server/core/not-implemented.js',
      namedImports: ['NotImplemented'],
    });
    file.addImportDeclaration({
      isTypeOnly: true,
      moduleSpecifier: './method-types.js',
      namedImports: ['HandledMethodName', 'InterimMethodName', 'MethodInterim', 'MethodParams', 'MethodResult'],
    });
    file.addTypeAlias({
      isExported: true,
      name: 'MethodHandler',
      typeParameters: [{ name: 'M', constraint: 'HandledMethodName' }],
      type: '(params: MethodParams<M>, ctx: MethodContext) => MethodResult<M> | Promise<MethodResult<M>>',
    });
    file.addTypeAlias({
      isExported: true,
      name: 'InterimMethodHandler',
      typeParameters: [{ name: 'M', constraint: 'InterimMethodName & HandledMethodName' }],
      type: '(params: MethodParams<M>, ctx: MethodContext & InterimContext<MethodInterim<M>>) => MethodResult<M> | Promise<MethodResult<M>>',
      docs: ['A method that answers twice: `ctx.sendInterim()` sends the first `res`, the return value the last.'],
    });
    file.addTypeAlias({
      isExported: true,
      name: 'HandlerSlot',
      typeParameters: ['H'],
      type: 'H | NotImplemented',
    });
    for (const group of model.groups) {
      const members = handled(model).filter((m) => m.group === group);
      file.addInterface({
        isExported: true,
        name: `${pascal(group)}Handlers`,
        docs: [`Handlers of the \`${group}\` methods.`],
        properties: members.map((m) => ({
          name: lit(m.name),
          isReadonly: true,
          docs: [docText(`${m.spec.doc} Scope: ${m.spec.scope}.`)],
          type: m.spec.interim
            ? `HandlerSlot<InterimMethodHandler<${lit(m.name)}>>`
            : `HandlerSlot<MethodHandler<${lit(m.name)}>>`,
        })),
      });
    }
    file.addInterface({
      isExported: true,
      name: 'GatewayHandlers',
      docs: ['Every handled method; a missing one is a compile error.'],
      extends: model.groups.map((g) => `${pascal(g)}Handlers`),
    });
  });
}

function emitMethodTable(model: ContractModel): EmittedFile {
  return emitTs('server/method-table.ts', (file) => {
    file.addImportDeclaration({ moduleSpecifier: '../../contract/gateway.contract.js', namedImports: ['contract'] });
    file.addImportDeclaration({
      isTypeOnly: true,
      moduleSpecifier: '../../server/core/method-entry.js',
      namedImports: ['EventEntry', 'MethodEntry'],
    });
    file.addImportDeclaration({
      isTypeOnly: true,
      moduleSpecifier: './method-types.js',
      namedImports: ['EventName', 'MethodName'],
    });
    file.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: ['Every method: validators, required scope, declared error details, aliases.'],
      declarations: [
        {
          name: 'METHOD_TABLE',
          type: 'Readonly<Record<MethodName, MethodEntry>>',
          initializer: (w) => {
            w.write('Object.freeze(').inlineBlock(() => {
              for (const m of model.methods) {
                const ref = `contract.methods[${lit(m.name)}]`;
                w.write(`${lit(m.name)}: `).inlineBlock(() => {
                  w.writeLine(`name: ${lit(m.name)},`);
                  w.writeLine(`group: ${lit(m.group)},`);
                  w.writeLine(`scope: ${lit(m.spec.scope)},`);
                  w.writeLine(`errors: ${arrayLiteral(m.spec.errors.map(lit))},`);
                  w.writeLine(`aliases: ${arrayLiteral([...m.spec.aliases].sort().map(lit))},`);
                  w.writeLine(`params: ${ref}.params,`);
                  w.writeLine(`result: ${ref}.result,`);
                  w.writeLine(`interim: ${m.spec.interim ? `${ref}.interim` : 'undefined'},`);
                  w.writeLine(`paramsOptional: ${m.paramsOptional},`);
                });
                w.write(',').newLine();
              }
            });
            w.write(')');
          },
        },
      ],
    });
    const aliases = model.methods
      .flatMap((m) => m.spec.aliases.map((alias) => [alias, m.name] as const))
      .sort(([a], [b]) => (a < b ? -1 : 1));
    file.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: ['Upstream method names accepted on the wire → canonical method.'],
      declarations: [
        {
          name: 'METHOD_ALIASES',
          type: 'Readonly<Record<string, MethodName>>',
          initializer: (w) => {
            w.write('Object.freeze(').inlineBlock(() => {
              for (const [alias, name] of aliases) w.writeLine(`${lit(alias)}: ${lit(name)},`);
            });
            w.write(')');
          },
        },
      ],
    });
    file.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: ['Every event: payload schema, who may receive it, whether a slow consumer may miss it.'],
      declarations: [
        {
          name: 'EVENT_TABLE',
          type: 'Readonly<Record<EventName, EventEntry>>',
          initializer: (w) => {
            w.write('Object.freeze(').inlineBlock(() => {
              for (const e of model.events) {
                w.write(`${lit(e.name)}: `).inlineBlock(() => {
                  w.writeLine(`name: ${lit(e.name)},`);
                  w.writeLine(`scope: ${lit(e.spec.scope)},`);
                  w.writeLine(`droppable: ${e.spec.droppable},`);
                  w.writeLine(`payload: contract.events[${lit(e.name)}].payload,`);
                });
                w.write(',').newLine();
              }
            });
            w.write(')');
          },
        },
      ],
    });
  });
}

function emitDispatchTable(model: ContractModel): EmittedFile {
  return emitTs('server/dispatch-table.ts', (file) => {
    file.addImportDeclaration({
      isTypeOnly: true,
      moduleSpecifier: '../../server/core/method-entry.js',
      namedImports: ['BoundMethod', 'HandlerSlotRuntime'],
    });
    file.addImportDeclaration({ isTypeOnly: true, moduleSpecifier: './handlers.js', namedImports: ['GatewayHandlers'] });
    file.addImportDeclaration({ moduleSpecifier: './method-table.js', namedImports: ['METHOD_TABLE'] });
    file.addFunction({
      isExported: true,
      name: 'bindHandlers',
      docs: ['Binds every handled method (and its aliases) to its handler slot.'],
      parameters: [{ name: 'h', type: 'GatewayHandlers' }],
      returnType: 'ReadonlyMap<string, BoundMethod>',
      statements: (w) => {
        w.writeLine('const slot = (s: unknown): HandlerSlotRuntime => s as HandlerSlotRuntime;');
        w.write('return new Map<string, BoundMethod>([').indent(() => {
          for (const m of handled(model)) {
            const bound = `{ entry: METHOD_TABLE[${lit(m.name)}], handler: slot(h[${lit(m.name)}]) }`;
            for (const name of [m.name, ...[...m.spec.aliases].sort()]) w.writeLine(`[${lit(name)}, ${bound}],`);
          }
        });
        w.write(']);');
      },
    });
  });
}

export function emitServer(model: ContractModel): EmittedFile[] {
  return [emitMethodTypes(model), emitHandlers(model), emitMethodTable(model), emitDispatchTable(model)];
}

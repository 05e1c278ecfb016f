// Emits generated/clients: the method/event maps (types only, no zod at runtime) and the nested,
// typed namespace surfaces that OpenClawClient and BrowserGatewayClient expose.
import { VariableDeclarationKind, type CodeBlockWriter } from 'ts-morph';
import type { ContractModel, MethodModel } from './contract-model.js';
import { arrayLiteral, docText, emitTs, lit, unionType, type EmittedFile } from './output.js';
import { ERROR_CATALOG, type ErrorDetailCode } from '../contract/schemas/errors.js';

/** Methods whose params carry a required `idempotencyKey`: the SDK fills it in and keeps it across retries. */
function isKeyed(m: MethodModel): boolean {
  const shape = (m.spec.params as { shape?: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape;
  const key = shape?.idempotencyKey;
  return key !== undefined && !key.safeParse(undefined).success;
}
const isIdent = (key: string): boolean => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key);
const prop = (key: string): string => (isIdent(key) ? key : lit(key));

interface TreeNode {
  method?: MethodModel;
  children: Map<string, TreeNode>;
}

function buildTree(methods: readonly MethodModel[]): TreeNode {
  const root: TreeNode = { children: new Map() };
  for (const m of methods) {
    let node = root;
    for (const part of m.name.split('.')) {
      let next = node.children.get(part);
      if (!next) node.children.set(part, (next = { children: new Map() }));
      node = next;
    }
    node.method = m;
  }
  return root;
}

function writeCall(w: CodeBlockWriter, m: MethodModel, mapName: string): void {
  const shape = `${mapName}[${lit(m.name)}]`;
  if (m.paramsOptional) {
    w.write(
      `(params?: ${shape}['params'], options?: CallOptions): Promise<${shape}['result']> => caller.request(${lit(m.name)}, params ?? {}, options)`,
    );
  } else {
    w.write(
      `(params: ${shape}['params'], options?: CallOptions): Promise<${shape}['result']> => caller.request(${lit(m.name)}, params, options)`,
    );
  }
}

function writeNode(w: CodeBlockWriter, node: TreeNode, mapName: string): void {
  const writeChildren = (): void => {
    w.inlineBlock(() => {
      for (const key of [...node.children.keys()].sort()) {
        const child = node.children.get(key)!;
        if (child.method?.spec.doc) w.writeLine(`/** ${docText(child.method.spec.doc)} */`);
        w.write(`${prop(key)}: `);
        writeNode(w, child, mapName);
        w.write(',').newLine();
      }
    });
  };
  if (node.method && node.children.size > 0) {
    w.write('Object.assign(');
    writeCall(w, node.method, mapName);
    w.write(', ');
    writeChildren();
    w.write(')');
  } else if (node.method) {
    writeCall(w, node.method, mapName);
  } else {
    writeChildren();
  }
}

function emitMaps(model: ContractModel): EmittedFile {
  return emitTs('clients/method-map.ts', (file) => {
    file.addImportDeclaration({ isTypeOnly: true, moduleSpecifier: 'zod', namedImports: ['z'] });
    file.addImportDeclaration({
      isTypeOnly: true,
      moduleSpecifier: '../../contract/gateway.contract.js',
      namedImports: ['contract'],
    });
    file.addTypeAlias({ name: 'Methods', type: 'typeof contract.methods' });
    file.addTypeAlias({ name: 'Events', type: 'typeof contract.events' });
    file.addTypeAlias({
      name: 'KeyOptional',
      typeParameters: ['P'],
      docs: ['The SDK generates `idempotencyKey` when the caller leaves it out.'],
      type: "Omit<P, 'idempotencyKey'> & { readonly idempotencyKey?: string }",
    });
    const sdkMethods = model.methods.filter((m) => !model.coreMethods.includes(m.name));
    file.addInterface({
      isExported: true,
      name: 'GatewayMethods',
      docs: ['Params as a caller writes them, results as the gateway sends them.'],
      properties: sdkMethods.map((m) => ({
        name: lit(m.name),
        isReadonly: true,
        docs: [docText(m.spec.doc)],
        type: `{ readonly params: ${isKeyed(m) ? 'KeyOptional<' : ''}z.input<Methods[${lit(m.name)}]['params']>${isKeyed(m) ? '>' : ''}; readonly result: z.output<Methods[${lit(m.name)}]['result']> }`,
      })),
    });
    file.addInterface({
      isExported: true,
      name: 'GatewayEvents',
      properties: model.events.map((e) => ({
        name: lit(e.name),
        isReadonly: true,
        docs: [docText(e.spec.doc)],
        type: `z.output<Events[${lit(e.name)}]['payload']>`,
      })),
    });
    file.addTypeAlias({
      isExported: true,
      name: 'GatewayMethodName',
      type: 'keyof GatewayMethods',
    });
    file.addTypeAlias({
      isExported: true,
      name: 'BrowserMethods',
      type: `Pick<GatewayMethods, ${unionType(model.browserMethods.map(lit))}>`,
    });
    file.addTypeAlias({
      isExported: true,
      name: 'BrowserEvents',
      type: `Pick<GatewayEvents, ${unionType(model.browserEvents.map(lit))}>`,
    });
    file.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: ['Method names the SDK knows, for `hasMethod()` and wildcard tooling.'],
      declarations: [
        {
          name: 'GATEWAY_METHOD_NAMES',
          type: 'readonly GatewayMethodName[]',
          initializer: arrayLiteral(sdkMethods.map((m) => lit(m.name))),
        },
      ],
    });
    file.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: ['Methods whose params carry an idempotencyKey: the SDK fills it in and may retry them safely.'],
      declarations: [
        {
          name: 'KEYED_METHOD_NAMES',
          type: 'readonly GatewayMethodName[]',
          initializer: arrayLiteral(sdkMethods.filter(isKeyed).map((m) => lit(m.name))),
        },
      ],
    });
    file.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: ['Methods that answer twice with the same id: an interim `res`, then the final one.'],
      declarations: [
        {
          name: 'INTERIM_METHOD_NAMES',
          type: 'readonly GatewayMethodName[]',
          initializer: arrayLiteral(sdkMethods.filter((m) => m.spec.interim).map((m) => lit(m.name))),
        },
      ],
    });
    file.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [
        {
          name: 'GATEWAY_EVENT_NAMES',
          type: 'readonly (keyof GatewayEvents)[]',
          initializer: arrayLiteral(model.events.map((e) => lit(e.name))),
        },
      ],
    });
  });
}

function emitSurface(
  model: ContractModel,
  path: string,
  fnName: string,
  mapName: 'GatewayMethods' | 'BrowserMethods',
  methods: readonly MethodModel[],
): EmittedFile {
  return emitTs(path, (file) => {
    file.addImportDeclaration({
      isTypeOnly: true,
      moduleSpecifier: '../../clients/runtime/rpc-caller.js',
      namedImports: ['CallOptions', 'RpcCaller'],
    });
    file.addImportDeclaration({ isTypeOnly: true, moduleSpecifier: './method-map.js', namedImports: [mapName] });
    const tree = buildTree(methods);
    file.addFunction({
      isExported: true,
      name: fnName,
      docs: ['Typed namespaces (`client.chat.send(p)`) over a runtime that performs the call.'],
      parameters: [{ name: 'caller', type: `RpcCaller<${mapName}>` }],
      statements: (w) => {
        w.write('return ');
        writeNode(w, tree, mapName);
        w.write(';');
      },
    });
    file.addTypeAlias({
      isExported: true,
      name: `${fnName.replace(/^create/, '')}`,
      type: `ReturnType<typeof ${fnName}>`,
    });
  });
}

/**
 * The handshake refusals a retry cannot fix: the codes `connect` declares whose catalog entry is
 * not retryable, the params check, and upstream's bare NOT_PAIRED (sent without a details.code).
 */
function emitConnectRefusals(model: ContractModel): EmittedFile {
  const connect = model.methods.find((m) => m.name === 'connect');
  const permanent = (connect?.spec.errors ?? []).filter((code: ErrorDetailCode) => !ERROR_CATALOG[code].retryable);
  const codes = [...new Set([...permanent, 'INVALID_PARAMS', 'NOT_PAIRED'])].sort();
  const catalog = Object.keys(ERROR_CATALOG) as ErrorDetailCode[];
  return emitTs('clients/connect-refusals.ts', (file) => {
    file.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: ["`details.code` (or bare `code`) values of a refused connect that retrying cannot fix: the SDKs pause reconnecting with the reason. Derived from the error catalog's `retryable` flag."],
      declarations: [{ name: 'PERMANENT_CONNECT_REFUSALS', type: 'readonly string[]', initializer: arrayLiteral(codes.map(lit)) }],
    });
    file.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: ['What the SDKs test: these codes as a short pattern (the browser bundle has a size budget); a shared leading word stands for its codes, the other catalog codes under it excluded.'],
      declarations: [{ name: 'PERMANENT_CONNECT_REFUSAL', initializer: refusalPattern(codes, catalog) }],
    });
  });
}

/**
 * A short pattern for the browser bundle: a leading word shared by three or more codes becomes a
 * prefix (`AUTH_…`), with every other catalog code under it (retryable ones, other methods' codes)
 * excluded; the other codes stay exact.
 */
function refusalPattern(permanent: readonly string[], catalog: readonly string[]): string {
  const byWord = new Map<string, string[]>();
  for (const code of permanent) byWord.set(code.split('_')[0]!, [...(byWord.get(code.split('_')[0]!) ?? []), code]);
  const parts: string[] = [];
  const excluded: string[] = [];
  for (const [word, codes] of byWord) {
    if (codes.length < 3) {
      parts.push(...codes.map((c) => `${c}$`));
      continue;
    }
    parts.push(`${word}_`);
    excluded.push(...catalog.filter((c) => c.startsWith(`${word}_`) && !permanent.includes(c)));
  }
  const guard = excluded.length > 0 ? `(?!(${excluded.join('|')})$)` : '';
  return `/^${guard}(${parts.join('|')})/`;
}

export function emitClients(model: ContractModel): EmittedFile[] {
  const sdkMethods = model.methods.filter((m) => !model.coreMethods.includes(m.name));
  const browserMethods = model.methods.filter((m) => model.browserMethods.includes(m.name));
  return [
    emitMaps(model),
    emitConnectRefusals(model),
    emitSurface(model, 'clients/openclaw-surface.ts', 'createOpenClawSurface', 'GatewayMethods', sdkMethods),
    emitSurface(model, 'clients/browser-surface.ts', 'createBrowserSurface', 'BrowserMethods', browserMethods),
  ];
}

// Emits the typed errors of every method: for handlers, `errorsFor(method)` offering only the
// constructors of the codes the method declares (generated/server/method-errors.ts); for the SDKs,
// the declared codes per method, from which `MethodError<M>` builds its union
// (generated/clients/method-errors.ts).
import type { ContractModel, MethodModel } from './contract-model.js';
import { emitTs, lit, unionType, type EmittedFile } from './output.js';

const declared = (m: MethodModel): string => unionType(m.spec.errors.map(lit));

function emitServerErrors(model: ContractModel): EmittedFile {
  return emitTs('server/method-errors.ts', (file) => {
    file.addImportDeclaration({ isTypeOnly: true, moduleSpecifier: '../../contract/schemas/errors.js', namedImports: ['GenericDetailCode'] });
    file.addImportDeclaration({
      moduleSpecifier: '../../server/core/error-constructors.js',
      namedImports: ['pickErrorConstructors', { name: 'ErrorConstructors', isTypeOnly: true }],
    });
    file.addImportDeclaration({ moduleSpecifier: './method-table.js', namedImports: ['METHOD_TABLE'] });
    file.addImportDeclaration({ isTypeOnly: true, moduleSpecifier: './method-types.js', namedImports: ['MethodName'] });
    file.addInterface({
      isExported: true,
      name: 'MethodDeclaredErrors',
      docs: ["The `details.code` values each method declares in the contract's `errors: [...]`."],
      properties: model.methods.map((m) => ({ name: lit(m.name), isReadonly: true, type: declared(m) })),
    });
    file.addTypeAlias({
      isExported: true,
      name: 'MethodErrorCode',
      typeParameters: [{ name: 'M', constraint: 'MethodName' }],
      type: 'MethodDeclaredErrors[M] | GenericDetailCode',
      docs: ['Every code a method may answer: its declared ones and the generic dispatch codes.'],
    });
    file.addTypeAlias({
      isExported: true,
      name: 'MethodErrors',
      typeParameters: [{ name: 'M', constraint: 'MethodName' }],
      type: 'Pick<ErrorConstructors, MethodErrorCode<M>>',
      docs: ['The error constructors a handler of `M` may use.'],
    });
    file.addFunction({
      isExported: true,
      name: 'errorsFor',
      typeParameters: [{ name: 'M', constraint: 'MethodName' }],
      parameters: [{ name: 'method', type: 'M' }],
      returnType: 'MethodErrors<M>',
      docs: ["`errorsFor('sessions.patch').SESSION_NOT_FOUND({ key })`: a code the method does not declare is a compile error."],
      statements: 'return pickErrorConstructors(METHOD_TABLE[method].errors) as MethodErrors<M>;',
    });
  });
}

function emitClientErrors(model: ContractModel): EmittedFile {
  return emitTs('clients/method-errors.ts', (file) => {
    file.addImportDeclaration({ isTypeOnly: true, moduleSpecifier: '../../contract/schemas/errors.js', namedImports: ['GenericDetailCode'] });
    file.addInterface({
      isExported: true,
      name: 'GatewayMethodErrors',
      docs: ['The `details.code` values each method may answer besides the generic ones (GenericDetailCode).'],
      properties: model.methods.map((m) => ({ name: lit(m.name), isReadonly: true, type: declared(m) })),
    });
    file.addTypeAlias({
      isExported: true,
      name: 'GatewayMethodErrorCode',
      typeParameters: [{ name: 'M', constraint: 'keyof GatewayMethodErrors' }],
      type: 'GatewayMethodErrors[M] | GenericDetailCode',
    });
  });
}

export function emitErrors(model: ContractModel): EmittedFile[] {
  return [emitServerErrors(model), emitClientErrors(model)];
}

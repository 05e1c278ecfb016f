// Emits the typed errors of every method: the declared codes per method, from which the SDKs'
// `MethodError<M>` builds its union (generated/clients/method-errors.ts), and for handlers
// `errorsFor(method)`, offering only the constructors of those codes (generated/server/method-errors.ts).
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
    // The list itself is the SDK's (types only, no runtime imports), so it is written once.
    file.addImportDeclaration({
      isTypeOnly: true,
      moduleSpecifier: '../clients/method-errors.js',
      namedImports: [{ name: 'GatewayMethodErrors', alias: 'MethodDeclaredErrors' }],
    });
    file.addExportDeclaration({ isTypeOnly: true, namedExports: ['MethodDeclaredErrors'] });
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
      docs: ["The `details.code` values each method declares in the contract's `errors: [...]` (any method may also answer GenericDetailCode)."],
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

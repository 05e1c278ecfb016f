// `npm run codegen` writes generated/ and docs' generated pages from the contract; `--check` fails
// when either is stale.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildContractModel } from './contract-model.js';
import { emitClients } from './emit-clients.js';
import { emitDocs } from './emit-docs.js';
import { emitErrors } from './emit-errors.js';
import { emitHttp } from './emit-http.js';
import { emitJsonSchemas } from './emit-json-schema.js';
import { emitServer } from './emit-server.js';
import { validateModel } from './validate-model.js';
import { diffOutput, emitContractHash, writeOutput, type EmittedFile } from './output.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function generate(): EmittedFile[] {
  const model = buildContractModel(join(root, 'contract'));
  validateModel(model);
  const files = [
    emitContractHash(model.hash),
    ...emitServer(model),
    ...emitErrors(model),
    ...emitClients(model),
    ...emitHttp(model),
    ...emitJsonSchemas(model),
    ...emitDocs(model),
  ];
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

function main(): void {
  const started = performance.now();
  const check = process.argv.includes('--check');
  const files = generate();
  if (check) {
    const problems = diffOutput(root, files);
    if (problems.length) {
      console.error(`generated/ or docs/ is out of date with the contract (${problems.length} problem(s)):`);
      for (const p of problems) console.error(`  - ${p}`);
      console.error('Run `npm run codegen` and commit the result.');
      process.exit(1);
    }
    console.log(`generated/ and docs/ are up to date (${files.length} files, ${Math.round(performance.now() - started)} ms)`);
    return;
  }
  writeOutput(root, files);
  console.log(`wrote ${files.length} files to generated/ and docs/ in ${Math.round(performance.now() - started)} ms`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();

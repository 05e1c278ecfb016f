// `npm run codegen` writes generated/ from the contract; `--check` fails when generated/ is stale.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildContractModel } from './contract-model.js';
import { emitClients } from './emit-clients.js';
import { emitHttp } from './emit-http.js';
import { emitJsonSchemas } from './emit-json-schema.js';
import { emitServer } from './emit-server.js';
import { validateModel } from './validate-model.js';
import { diffOutput, writeOutput, type EmittedFile } from './output.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function generate(): EmittedFile[] {
  const model = buildContractModel(join(root, 'contract'));
  validateModel(model);
  return [...emitServer(model), ...emitClients(model), ...emitHttp(model), ...emitJsonSchemas(model)].sort((a, b) =>
    a.path < b.path ? -1 : 1,
  );
}

function main(): void {
  const started = performance.now();
  const check = process.argv.includes('--check');
  const outDir = join(root, 'generated');
  const files = generate();
  if (check) {
    const problems = diffOutput(outDir, files);
    if (problems.length) {
      console.error(`generated/ is out of date with the contract (${problems.length} problem(s)):`);
      for (const p of problems) console.error(`  - ${p}`);
      console.error('Run `npm run codegen` and commit the result.');
      process.exit(1);
    }
    console.log(`generated/ is up to date (${files.length} files, ${Math.round(performance.now() - started)} ms)`);
    return;
  }
  writeOutput(outDir, files);
  console.log(`wrote ${files.length} files to generated/ in ${Math.round(performance.now() - started)} ms`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();

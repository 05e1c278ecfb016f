// Child process for the crash test: indexes a workspace into an index file, then exits.
import { openTestIndex } from './memory-workspace.js';

const [workspace, dbPath] = process.argv.slice(2);
const index = openTestIndex({ workspace: workspace!, dbPath: dbPath!, settings: { sync: { watch: false } } });
process.stdout.write('started\n');
await index.sync('child');
process.stdout.write('done\n');
await index.close();

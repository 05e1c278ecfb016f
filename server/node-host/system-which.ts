// system.which: where a program resolves on the node's PATH. `{name}` → `{name, path}` (path null
// when absent); upstream's `{bins: [...]}` → `{bins: {name: path}}` with the found ones only.
import which from 'which';
import { ServeError } from '../../clients/runtime/request-serving.js';

const NAME = /^[A-Za-z0-9._+-]{1,255}$/;

async function resolve(name: string, pathEnv: string): Promise<string | null> {
  if (!NAME.test(name)) throw new ServeError('INVALID_REQUEST', `not a program name: ${JSON.stringify(name.slice(0, 64))} (no paths or spaces)`);
  return (await which(name, { path: pathEnv, nothrow: true })) ?? null;
}

export async function systemWhich(params: { name?: unknown; bins?: unknown }, pathEnv: string): Promise<Record<string, unknown>> {
  if (typeof params.name === 'string') return { name: params.name, path: await resolve(params.name, pathEnv) };
  if (Array.isArray(params.bins) && params.bins.length <= 256 && params.bins.every((b) => typeof b === 'string')) {
    const bins: Record<string, string> = {};
    for (const name of params.bins as string[]) {
      const found = await resolve(name, pathEnv);
      if (found) bins[name] = found;
    }
    return { bins };
  }
  throw new ServeError('INVALID_REQUEST', 'system.which needs {name: "<program>"} (or {bins: [...]})');
}

// Where the built Control UI lives and how its files are read: `gateway.controlUi.root` when set,
// else dist/control-ui beside the CLI bundle (or the checkout's dist when running from source).
// Files are read on request, never at start-up; assets are kept once read (their names are hashed).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The build's folder name under dist/ (scripts/build-ui.mjs writes it). */
export const CONTROL_UI_DIR = 'control-ui';

const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9]+)+$/;
const MAX_CACHED_ASSETS = 64;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
};

export interface ControlUiAsset {
  readonly body: Uint8Array<ArrayBuffer>;
  /** The gzip of the body, when that is smaller (text assets). */
  readonly gzip: Uint8Array<ArrayBuffer> | undefined;
  readonly contentType: string;
}

/** The folders tried for the default build, first existing one wins. */
export function defaultControlUiRoots(moduleUrl: string = import.meta.url): string[] {
  const here = dirname(fileURLToPath(moduleUrl));
  // Bundled: dist/openclaw.mjs → dist/control-ui. From source: server/http → ../../dist/control-ui.
  return [join(here, CONTROL_UI_DIR), resolve(here, '../../dist', CONTROL_UI_DIR)];
}

export class ControlUiFiles {
  private readonly assets = new Map<string, ControlUiAsset>();
  private cachedRoot: string | undefined;

  constructor(private readonly candidates: () => readonly string[]) {}

  /** The build folder in use, or undefined when no candidate holds an index.html. */
  root(): string | undefined {
    const root = this.candidates().find((dir) => existsSync(join(dir, 'index.html')));
    if (root !== this.cachedRoot) {
      this.assets.clear();
      this.cachedRoot = root;
    }
    return root;
  }

  /** index.html as built, read each time (it is small, and a rebuild must show at once). */
  index(): string | undefined {
    const root = this.root();
    if (!root) return undefined;
    try {
      return readFileSync(join(root, 'index.html'), 'utf8');
    } catch {
      return undefined;
    }
  }

  /** One file of assets/ by its exact name; anything that is not a plain file name there is missing. */
  asset(name: string): ControlUiAsset | undefined {
    if (!ASSET_NAME.test(name)) return undefined;
    const contentType = CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)];
    if (!contentType) return undefined;
    const root = this.root();
    if (!root) return undefined;
    const cached = this.assets.get(name);
    if (cached) return cached;
    const path = join(root, 'assets', name);
    try {
      if (!statSync(path).isFile()) return undefined;
    } catch {
      return undefined;
    }
    const body = readFileSync(path);
    const compressible = contentType.startsWith('text/') || contentType.startsWith('application/json') || contentType === 'image/svg+xml';
    const zipped = compressible ? gzipSync(body, { level: 9 }) : undefined;
    // Copied into plain ArrayBuffers once: what a web Response body takes.
    const asset: ControlUiAsset = { body: new Uint8Array(body), gzip: zipped && zipped.byteLength < body.byteLength ? new Uint8Array(zipped) : undefined, contentType };
    if (this.assets.size >= MAX_CACHED_ASSETS) this.assets.delete(this.assets.keys().next().value!);
    this.assets.set(name, asset);
    return asset;
  }
}

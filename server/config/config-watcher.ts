// Picks up hand edits of openclaw.json while the gateway runs: the config file's directory is
// watched (editors and atomic writers replace the file, which a watch on the file itself would
// lose), changes are debounced, and the store re-reads the file — applying a valid edit, keeping
// the running config and logging each bad key for an invalid one.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import type { ConfigStore } from './config-store.js';

/** `gateway.reload.mode: "off"` keeps hand edits for the next start; every other mode applies them. */
export function hotReloadStatus(config: OpenClawConfig): 'active' | 'disabled' {
  return config.gateway?.reload?.mode === 'off' ? 'disabled' : 'active';
}

export interface ConfigWatcher {
  close(): void;
}

export function watchConfigFile(store: ConfigStore, logger: GatewayLogger, debounceMs = 250): ConfigWatcher {
  const name = basename(store.path);
  let timer: NodeJS.Timeout | undefined;
  let toldOff = false;
  const check = (): void => {
    timer = undefined;
    if (hotReloadStatus(store.config) === 'disabled') {
      if (!toldOff) logger.notice('config file changed on disk; not applied because gateway.reload.mode is "off" (restart to apply)', { path: store.path });
      toldOff = true;
      return;
    }
    toldOff = false;
    let result: ReturnType<ConfigStore['reloadFromDisk']>;
    try {
      result = store.reloadFromDisk();
    } catch (error) {
      logger.error('config file could not be re-read; keeping the running config', { path: store.path, error: (error as Error).message });
      return;
    }
    if (result.outcome === 'applied') logger.notice('config file changed on disk; applied', { path: store.path });
    if (result.outcome === 'invalid') {
      logger.error('config file changed on disk but is invalid; keeping the running config', {
        path: store.path,
        issues: result.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)),
      });
    }
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(store.path), { persistent: false }, (_event, file) => {
      if (file !== null && file !== name) return;
      clearTimeout(timer);
      timer = setTimeout(check, debounceMs);
      timer.unref?.();
    });
    watcher.on('error', (error) => logger.warn('config file watch stopped; hand edits need a restart', { error: error.message }));
  } catch (error) {
    logger.warn('cannot watch the config file; hand edits need a restart', { path: store.path, error: (error as Error).message });
  }
  return {
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}

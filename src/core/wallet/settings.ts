import { AUTO_LOCK_DEFAULT_MINUTES } from '../../protocol/internal.ts';
import type { KeyValueStore } from '../ports.ts';

/** Non-personal preferences that must be readable while locked. */
export interface WalletSettings {
  autoLockMinutes: number;
}

const SETTINGS_KEY = 'settings';

export async function readSettings(store: KeyValueStore): Promise<WalletSettings> {
  const stored = (await store.get('meta', SETTINGS_KEY)) as Partial<WalletSettings> | undefined;
  return { autoLockMinutes: stored?.autoLockMinutes ?? AUTO_LOCK_DEFAULT_MINUTES };
}

export async function writeSettings(store: KeyValueStore, settings: WalletSettings): Promise<void> {
  await store.write([{ type: 'put', collection: 'meta', key: SETTINGS_KEY, value: settings }]);
}

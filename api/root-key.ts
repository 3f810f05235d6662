import fs from 'node:fs';
import path from 'node:path';
import { newSecret } from '../db/ids.js';
import type { Config } from '../worker/config.js';

/**
 * The env key wins; otherwise the key in `<dataDir>/root-key`; otherwise a new one is written there
 * (mode 600) and returned with `created` so the caller prints it once.
 */
export function resolveRootKey(config: Config): { key: string; created: boolean; file?: string } {
  if (config.rootKey) return { key: config.rootKey, created: false };
  const file = path.join(config.dataDir, 'root-key');
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, `c2m_root.${newSecret()}\n`, { mode: 0o600, flag: 'wx' });
    return { key: fs.readFileSync(file, 'utf8').trim(), created: true, file };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { key: fs.readFileSync(file, 'utf8').trim(), created: false, file };
  }
}

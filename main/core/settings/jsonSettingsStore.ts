import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SettingsStore } from '../ports';

/**
 * Settings as one JSON file in the data folder (settings.json). Written to a temp file and renamed,
 * so a crash mid-write leaves the previous settings, never half a file.
 */
export function createJsonSettingsStore(
  dataDir: string,
  fileName = 'settings.json',
): SettingsStore {
  const file = join(dataDir, fileName);
  return {
    read() {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as unknown;
      } catch {
        return null;
      }
    },
    write(settings) {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, JSON.stringify(settings, null, 2));
      renameSync(tmp, file);
    },
  };
}

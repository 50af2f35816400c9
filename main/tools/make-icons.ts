/**
 * Writes every icon the app and its installers need, from main/tools/icons/draw.ts:
 *   main/electron/resources/icon.png (1024²), main/electron/resources/icons/<n>x<n>.png (Linux), main/electron/resources/icon.ico (Windows),
 *   main/electron/resources/icon.icns (macOS), main/electron/resources/tray.png + main/electron/resources/trayTemplate(@2x).png (tray / menu bar),
 *   main/electron/resources/badge.png (the Windows taskbar overlay that stands for a badge count).
 * Run with `npx tsx main/tools/make-icons.ts`; the outputs are committed so packaging needs no step.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { drawBadgeDot, drawIcon } from './icons/draw';
import { encodeIcns, encodeIco, encodePng } from './icons/png';

const root = join(import.meta.dirname, '..', 'electron', 'resources');
const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

mkdirSync(join(root, 'icons'), { recursive: true });
const pngs = new Map<number, Buffer>();
for (const size of sizes) {
  const png = encodePng(size, size, drawIcon(size, 'app'));
  pngs.set(size, png);
  writeFileSync(join(root, 'icons', `${size}x${size}.png`), png);
}
const pick = (list: number[]) => list.map((size) => ({ size, png: pngs.get(size)! }));

writeFileSync(join(root, 'icon.png'), pngs.get(1024)!);
writeFileSync(join(root, 'icon.ico'), encodeIco(pick([16, 24, 32, 48, 64, 128, 256])));
writeFileSync(join(root, 'icon.icns'), encodeIcns(pick([16, 32, 64, 128, 256, 512, 1024])));
writeFileSync(join(root, 'tray.png'), pngs.get(32)!);
writeFileSync(join(root, 'trayTemplate.png'), encodePng(16, 16, drawIcon(16, 'template')));
writeFileSync(join(root, 'trayTemplate@2x.png'), encodePng(32, 32, drawIcon(32, 'template')));
writeFileSync(join(root, 'badge.png'), encodePng(16, 16, drawBadgeDot(16)));
console.log(`icons written to ${root}`);

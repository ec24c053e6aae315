/**
 * Draws the toolbar icons (public/icons/icon-{16,48,128}.png): a mosaic of coloured
 * tiles on dark grout, since a tessera is one tile of a mosaic. Run it with
 * `npx tsx scripts/make-icons.ts`; the PNGs are committed, so builds need not run it.
 *
 * The PNG bytes are written by hand (RGBA, one IDAT via node:zlib) to need no image
 * library; shapes are anti-aliased by sampling each pixel on a 4×4 grid.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { deflateSync } from 'node:zlib';

type Rgb = readonly [number, number, number];

const GROUT: Rgb = [0x1c, 0x22, 0x30];
const TEAL: Rgb = [0x0f, 0x9f, 0x8f];
const INDIGO: Rgb = [0x5b, 0x5b, 0xd6];
const AMBER: Rgb = [0xe8, 0xa3, 0x17];
const ROSE: Rgb = [0xd9, 0x48, 0x5f];
const CREAM: Rgb = [0xf1, 0xed, 0xe4];

/** Tile colours row by row. Small icons get fewer, bigger tiles so they stay legible. */
const SMALL_PATTERN: Rgb[][] = [
  [TEAL, INDIGO],
  [AMBER, ROSE],
];
const LARGE_PATTERN: Rgb[][] = [
  [TEAL, INDIGO, AMBER],
  [ROSE, CREAM, TEAL],
  [AMBER, TEAL, INDIGO],
];

const SAMPLES = 4;

/** Whether point (x, y) lies inside a rectangle with rounded corners of radius r. */
function inRoundedRect(x: number, y: number, left: number, top: number, size: number, r: number): boolean {
  const right = left + size;
  const bottom = top + size;
  if (x < left || x > right || y < top || y > bottom) return false;
  const cx = Math.min(Math.max(x, left + r), right - r);
  const cy = Math.min(Math.max(y, top + r), bottom - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** Colour at a point, or null outside the icon (transparent). */
function colourAt(x: number, y: number, size: number, pattern: Rgb[][]): Rgb | null {
  if (!inRoundedRect(x, y, 0, 0, size, size * 0.2)) return null;
  const n = pattern.length;
  const margin = Math.max(1, size * 0.07);
  const gap = Math.max(1, size * 0.06);
  const tile = (size - 2 * margin - (n - 1) * gap) / n;
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      const left = margin + col * (tile + gap);
      const top = margin + row * (tile + gap);
      const colour = pattern[row]?.[col];
      if (colour && inRoundedRect(x, y, left, top, tile, tile * 0.18)) return colour;
    }
  }
  return GROUT;
}

/** RGBA pixels, averaging SAMPLES² sub-pixel samples for smooth edges. */
function drawIcon(size: number): Buffer {
  const pattern = size <= 16 ? SMALL_PATTERN : LARGE_PATTERN;
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const colour = colourAt(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES, size, pattern);
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          covered++;
        }
      }
      const offset = (py * size + px) * 4;
      if (covered === 0) continue;
      pixels[offset] = Math.round(r / covered);
      pixels[offset + 1] = Math.round(g / covered);
      pixels[offset + 2] = Math.round(b / covered);
      pixels[offset + 3] = Math.round((255 * covered) / (SAMPLES * SAMPLES));
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** An 8-bit RGBA PNG; every scanline uses filter 0 (none), which is plenty for icons. */
function encodePng(size: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(6, 9); // colour type: RGBA
  // compression, filter method and interlace stay 0
  const stride = size * 4;
  const raw = Buffer.alloc((stride + 1) * size);
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const outDir = resolve(import.meta.dirname, '../public/icons');
mkdirSync(outDir, { recursive: true });
for (const size of [16, 48, 128]) {
  const file = resolve(outDir, `icon-${size}.png`);
  writeFileSync(file, encodePng(size, drawIcon(size)));
  console.log(`wrote ${file}`);
}

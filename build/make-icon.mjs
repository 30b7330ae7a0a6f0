// Draws build/icon.png (512x512): a sender dot with three waves on a rounded square.
// Run with `node build/make-icon.mjs`; build/ is electron-builder's resources folder and never
// goes into the app, so this script stays out of the package.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const SAMPLES = 4; // 4x4 supersampling for smooth edges

const crcTable = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function roundedSquare(x, y) {
  const margin = 24;
  const radius = 96;
  const lo = margin + radius;
  const hi = SIZE - margin - radius;
  const dx = Math.max(lo - x, 0, x - hi);
  const dy = Math.max(lo - y, 0, y - hi);
  return Math.hypot(dx, dy) <= radius;
}

/** Colour of one sample point: [r, g, b, a]. */
function sample(x, y) {
  if (!roundedSquare(x, y)) return [0, 0, 0, 0];
  const t = (x + y) / (2 * SIZE);
  const background = [Math.round(24 + 20 * t), Math.round(92 + 60 * t), Math.round(196 + 40 * t), 255];
  const cx = 176;
  const cy = 336;
  const d = Math.hypot(x - cx, y - cy);
  if (d <= 44) return [255, 255, 255, 255];
  // Waves: arcs in the quarter towards the top right.
  const angle = Math.atan2(cy - y, x - cx);
  if (angle > 0.12 && angle < Math.PI / 2 - 0.12) {
    for (const r of [110, 180, 250]) {
      if (Math.abs(d - r) <= 18) return [255, 255, 255, 255];
    }
  }
  return background;
}

const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
for (let y = 0; y < SIZE; y++) {
  raw[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const [r, g, b, a] = sample(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES);
        sum[0] += r * a;
        sum[1] += g * a;
        sum[2] += b * a;
        sum[3] += a;
      }
    }
    const offset = y * (SIZE * 4 + 1) + 1 + x * 4;
    const alpha = sum[3] / (SAMPLES * SAMPLES);
    raw[offset] = sum[3] ? Math.round(sum[0] / sum[3]) : 0;
    raw[offset + 1] = sum[3] ? Math.round(sum[1] / sum[3]) : 0;
    raw[offset + 2] = sum[3] ? Math.round(sum[2] / sum[3]) : 0;
    raw[offset + 3] = Math.round(alpha);
  }
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'icon.png');
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);

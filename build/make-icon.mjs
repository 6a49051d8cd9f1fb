// Draws build/icon.png (512 x 512, what electron-builder turns into the Windows .ico, the macOS
// .icns and the Linux icons): a dark rounded tile with a terminal prompt over three rows of a
// packet list. Plain Node (zlib for the PNG's deflate), so `node build/make-icon.mjs` redraws it.

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

/** electron-builder needs at least 512 x 512 to make a macOS icon. */
const SIZE = 512;
const CORNER_RADIUS = 96;
const BACKGROUND = [30, 30, 30, 255];
const PROMPT = [78, 201, 176, 255];
const ROWS = [
  { y: 300, width: 330, color: [86, 156, 214, 255] },
  { y: 356, width: 260, color: [206, 145, 120, 255] },
  { y: 412, width: 300, color: [181, 206, 168, 255] },
];
const ROW_HEIGHT = 30;
const ROW_LEFT = 96;

const pixels = Buffer.alloc(SIZE * SIZE * 4);

function put(x, y, [r, g, b, a]) {
  const i = (y * SIZE + x) * 4;
  pixels[i] = r;
  pixels[i + 1] = g;
  pixels[i + 2] = b;
  pixels[i + 3] = a;
}

function insideRoundedTile(x, y) {
  const cx = Math.min(Math.max(x, CORNER_RADIUS), SIZE - 1 - CORNER_RADIUS);
  const cy = Math.min(Math.max(y, CORNER_RADIUS), SIZE - 1 - CORNER_RADIUS);
  return (x - cx) ** 2 + (y - cy) ** 2 <= CORNER_RADIUS ** 2;
}

/** Distance from (x, y) to the segment (ax, ay)-(bx, by): strokes the prompt's chevron. */
function segmentDistance(x, y, ax, ay, bx, by) {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
}

for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    if (!insideRoundedTile(x, y)) continue;
    put(x, y, BACKGROUND);
    // ">" chevron and "_" cursor of a prompt.
    const chevron = Math.min(segmentDistance(x, y, 110, 110, 190, 170), segmentDistance(x, y, 190, 170, 110, 230));
    if (chevron <= 16) put(x, y, PROMPT);
    if (x >= 220 && x <= 330 && y >= 214 && y <= 240) put(x, y, PROMPT);
    for (const row of ROWS) {
      if (x >= ROW_LEFT && x < ROW_LEFT + row.width && y >= row.y && y < row.y + ROW_HEIGHT) put(x, y, row.color);
    }
  }
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

// PNG (RFC 2083): signature, IHDR (8-bit RGBA), IDAT (each row prefixed with filter type 0), IEND.
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8;
header[9] = 6;
const rows = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) pixels.copy(rows, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
fs.writeFileSync(fileURLToPath(new URL('./icon.png', import.meta.url)), png);

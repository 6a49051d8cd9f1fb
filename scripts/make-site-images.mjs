#!/usr/bin/env node
// Generates the images of the lab's web sites (content/sites/) with no dependencies: a minimal
// baseline JPEG encoder (ITU-T T.81) and a GIF89a encoder with its LZW compressor. The output is
// deterministic, so the committed images can be checked against a fresh run (the sites test does).
//
//   node scripts/make-site-images.mjs          writes the images into content/sites/
//   node scripts/make-site-images.mjs --check  exits 1 if a committed image differs from a fresh one

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SITES_DIR = fileURLToPath(new URL('../content/sites/', import.meta.url));

/** JPEG quality on the IJG 1..100 scale; 90 keeps the digits crisp at these tiny sizes. */
export const JPEG_QUALITY = 90;
/** GIF's LZW codes are at most 12 bits wide (GIF89a spec, Appendix F). */
const GIF_MAX_CODE_BITS = 12;
const GIF_MAX_CODES = 1 << GIF_MAX_CODE_BITS;
/** A GIF data sub-block holds at most 255 bytes (GIF89a spec, section 15). */
const GIF_MAX_SUB_BLOCK = 255;

// ---------------------------------------------------------------------------------------------
// Drawing: an RGB raster with rectangles and a 3x5 pixel font, enough for numbers and labels.

export class Raster {
  constructor(width, height, background) {
    this.width = width;
    this.height = height;
    this.pixels = new Uint8Array(width * height * 3);
    this.fillRect(0, 0, width, height, background);
  }

  setPixel(x, y, [r, g, b]) {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 3;
    this.pixels[i] = r;
    this.pixels[i + 1] = g;
    this.pixels[i + 2] = b;
  }

  getPixel(x, y) {
    const cx = Math.min(Math.max(x, 0), this.width - 1);
    const cy = Math.min(Math.max(y, 0), this.height - 1);
    const i = (cy * this.width + cx) * 3;
    return [this.pixels[i], this.pixels[i + 1], this.pixels[i + 2]];
  }

  fillRect(x0, y0, w, h, colour) {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) this.setPixel(x, y, colour);
  }

  strokeRect(x0, y0, w, h, colour) {
    this.fillRect(x0, y0, w, 1, colour);
    this.fillRect(x0, y0 + h - 1, w, 1, colour);
    this.fillRect(x0, y0, 1, h, colour);
    this.fillRect(x0 + w - 1, y0, 1, h, colour);
  }

  fillCircle(cx, cy, r, colour) {
    for (let y = cy - r; y <= cy + r; y++) {
      for (let x = cx - r; x <= cx + r; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) this.setPixel(x, y, colour);
    }
  }

  /** Draws text in the 3x5 font, each font pixel `scale` pixels wide, one font pixel between glyphs. */
  text(x, y, string, scale, colour) {
    let cursor = x;
    for (const ch of string.toUpperCase()) {
      const glyph = FONT[ch];
      if (!glyph) throw new Error(`no glyph for '${ch}' in the 3x5 font`);
      glyph.forEach((row, gy) => {
        for (let gx = 0; gx < 3; gx++) if (row[gx] === '1') this.fillRect(cursor + gx * scale, y + gy * scale, scale, scale, colour);
      });
      cursor += 4 * scale;
    }
  }

  /** Draws text centred on the raster's width, with its top at y. */
  centredText(y, string, scale, colour) {
    this.text(Math.round((this.width - textWidth(string, scale)) / 2), y, string, scale, colour);
  }
}

export function textWidth(string, scale) {
  return string.length === 0 ? 0 : (string.length * 4 - 1) * scale;
}

const FONT = {
  0: ['111', '101', '101', '101', '111'], 1: ['010', '110', '010', '010', '111'], 2: ['111', '001', '111', '100', '111'],
  3: ['111', '001', '111', '001', '111'], 4: ['101', '101', '111', '001', '001'], 5: ['111', '100', '111', '001', '111'],
  6: ['111', '100', '111', '101', '111'], 7: ['111', '001', '001', '001', '001'], 8: ['111', '101', '111', '101', '111'],
  9: ['111', '101', '111', '001', '111'],
  A: ['010', '101', '111', '101', '101'], B: ['110', '101', '110', '101', '110'], C: ['011', '100', '100', '100', '011'],
  D: ['110', '101', '101', '101', '110'], E: ['111', '100', '110', '100', '111'], F: ['111', '100', '110', '100', '100'],
  G: ['011', '100', '101', '101', '011'], H: ['101', '101', '111', '101', '101'], I: ['111', '010', '010', '010', '111'],
  J: ['001', '001', '001', '101', '010'], K: ['101', '101', '110', '101', '101'], L: ['100', '100', '100', '100', '111'],
  M: ['101', '111', '111', '101', '101'], N: ['110', '101', '101', '101', '101'], O: ['010', '101', '101', '101', '010'],
  P: ['110', '101', '110', '100', '100'], Q: ['010', '101', '101', '110', '011'], R: ['110', '101', '110', '101', '101'],
  S: ['011', '100', '010', '001', '110'], T: ['111', '010', '010', '010', '010'], U: ['101', '101', '101', '101', '111'],
  V: ['101', '101', '101', '101', '010'], W: ['101', '101', '111', '111', '101'], X: ['101', '101', '010', '101', '101'],
  Y: ['101', '101', '010', '010', '010'], Z: ['111', '001', '010', '100', '111'],
  ' ': ['000', '000', '000', '000', '000'], '.': ['000', '000', '000', '000', '010'], '-': ['000', '000', '111', '000', '000'],
  '/': ['001', '001', '010', '100', '100'],
};

// ---------------------------------------------------------------------------------------------
// Baseline JPEG (T.81): 8-bit, three components, no subsampling, the example quantisation and
// Huffman tables of Annex K, one scan, sequential DCT.

/** Annex K.1, Table K.1 (luminance) and Table K.2 (chrominance), in natural (row-major) order. */
const LUMA_QUANT = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA_QUANT = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
  ...new Array(32).fill(99),
];

/** Annex K.3, Tables K.3 to K.6: code counts per length 1..16 (BITS) and the symbols (HUFFVAL). */
const DC_LUMA = { bits: [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] };
const DC_CHROMA = { bits: [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] };
const AC_LUMA = {
  bits: [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d],
  values: [
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08,
    0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
    0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59,
    0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
    0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6,
    0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
    0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
  ],
};
const AC_CHROMA = {
  bits: [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],
  values: [
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91,
    0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
    0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,
    0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
    0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4,
    0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
    0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
  ],
};

/** ZIGZAG[k] is the natural index of the k-th coefficient in zig-zag order (T.81 Figure 5). */
const ZIGZAG = (() => {
  const order = [];
  for (let sum = 0; sum < 15; sum++) {
    const cells = [];
    for (let row = 0; row < 8; row++) {
      const col = sum - row;
      if (col >= 0 && col < 8) cells.push(row * 8 + col);
    }
    // Even diagonals run upwards (bottom-left to top-right), odd ones downwards.
    order.push(...(sum % 2 === 0 ? cells.reverse() : cells));
  }
  return order;
})();

/** IJG quality scaling of a base table, entries clamped to 1..255 (8-bit precision tables). */
function scaleQuant(base, quality) {
  const scale = quality < 50 ? Math.floor(5000 / quality) : 200 - quality * 2;
  return base.map((q) => Math.min(255, Math.max(1, Math.floor((q * scale + 50) / 100))));
}

/** Builds symbol -> { code, length } from BITS/HUFFVAL (T.81 Annex C, Figures C.1 to C.3). */
function huffmanCodes({ bits, values }) {
  const total = bits.reduce((a, b) => a + b, 0);
  if (total !== values.length) throw new Error(`Huffman table lists ${total} codes but ${values.length} symbols`);
  const codes = new Map();
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < bits[length - 1]; i++) codes.set(values[k++], { code: code++, length });
    code <<= 1;
  }
  return codes;
}

class BitWriter {
  constructor() {
    this.bytes = [];
    this.buffer = 0;
    this.count = 0;
  }

  write(value, length) {
    for (let i = length - 1; i >= 0; i--) {
      this.buffer = (this.buffer << 1) | ((value >> i) & 1);
      if (++this.count === 8) this.flushByte();
    }
  }

  flushByte() {
    this.bytes.push(this.buffer);
    // T.81 F.1.2.3: a 0xFF in entropy-coded data is followed by a stuffed 0x00.
    if (this.buffer === 0xff) this.bytes.push(0x00);
    this.buffer = 0;
    this.count = 0;
  }

  /** Pads the last byte with 1-bits (T.81 F.1.2.3). */
  finish() {
    while (this.count !== 0) this.write(1, 1);
    return this.bytes;
  }
}

const COS_TABLE = (() => {
  const t = new Float64Array(64);
  for (let x = 0; x < 8; x++) for (let u = 0; u < 8; u++) t[x * 8 + u] = Math.cos(((2 * x + 1) * u * Math.PI) / 16);
  return t;
})();

/** The forward DCT of T.81 A.3.3, straight from its definition (the images are tiny). */
function forwardDct(block) {
  const out = new Float64Array(64);
  for (let v = 0; v < 8; v++) {
    for (let u = 0; u < 8; u++) {
      let sum = 0;
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) sum += block[y * 8 + x] * COS_TABLE[x * 8 + u] * COS_TABLE[y * 8 + v];
      const cu = u === 0 ? Math.SQRT1_2 : 1;
      const cv = v === 0 ? Math.SQRT1_2 : 1;
      out[v * 8 + u] = 0.25 * cu * cv * sum;
    }
  }
  return out;
}

/** Magnitude category SSSS of a coefficient (T.81 Table F.1) and its additional bits (F.1.2.1.1). */
function category(value) {
  const magnitude = Math.abs(value);
  let size = 0;
  while (magnitude >> size) size++;
  const bits = value < 0 ? (value - 1) & ((1 << size) - 1) : value;
  return { size, bits };
}

function segment(marker, payload) {
  const length = payload.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...payload];
}

function huffmanTableSegment(tableClassAndId, { bits, values }) {
  return segment(0xc4, [tableClassAndId, ...bits, ...values]);
}

/** Encodes an RGB raster as a baseline JFIF file. */
export function encodeJpeg(raster, quality = JPEG_QUALITY) {
  const { width, height } = raster;
  const quant = [scaleQuant(LUMA_QUANT, quality), scaleQuant(CHROMA_QUANT, quality)];
  const dcCodes = [huffmanCodes(DC_LUMA), huffmanCodes(DC_CHROMA)];
  const acCodes = [huffmanCodes(AC_LUMA), huffmanCodes(AC_CHROMA)];

  const out = [0xff, 0xd8]; // SOI
  // JFIF APP0: version 1.01, no units, 1:1 aspect, no thumbnail.
  out.push(...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]));
  for (let id = 0; id < 2; id++) out.push(...segment(0xdb, [id, ...ZIGZAG.map((n) => quant[id][n])]));
  // SOF0: 8-bit precision, three components with sampling 1x1; Y uses table 0, Cb and Cr table 1.
  out.push(...segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]));
  out.push(...huffmanTableSegment(0x00, DC_LUMA), ...huffmanTableSegment(0x10, AC_LUMA));
  out.push(...huffmanTableSegment(0x01, DC_CHROMA), ...huffmanTableSegment(0x11, AC_CHROMA));
  out.push(...segment(0xda, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]));

  const writer = new BitWriter();
  const previousDc = [0, 0, 0];
  const planes = [new Float64Array(64), new Float64Array(64), new Float64Array(64)];
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      // JFIF colour conversion; pixels past the edge repeat the last row or column.
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          const [r, g, b] = raster.getPixel(bx + x, by + y);
          const i = y * 8 + x;
          planes[0][i] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
          planes[1][i] = -0.168736 * r - 0.331264 * g + 0.5 * b;
          planes[2][i] = 0.5 * r - 0.418688 * g - 0.081312 * b;
        }
      }
      for (let c = 0; c < 3; c++) {
        const table = c === 0 ? 0 : 1;
        const coefficients = forwardDct(planes[c]);
        const zz = ZIGZAG.map((n) => Math.round(coefficients[n] / quant[table][n]));
        const dc = category(zz[0] - previousDc[c]);
        previousDc[c] = zz[0];
        const dcCode = dcCodes[table].get(dc.size);
        writer.write(dcCode.code, dcCode.length);
        writer.write(dc.bits, dc.size);
        let run = 0;
        for (let k = 1; k < 64; k++) {
          if (zz[k] === 0) {
            run++;
            continue;
          }
          while (run > 15) {
            const zrl = acCodes[table].get(0xf0);
            writer.write(zrl.code, zrl.length);
            run -= 16;
          }
          const ac = category(zz[k]);
          const acCode = acCodes[table].get((run << 4) | ac.size);
          writer.write(acCode.code, acCode.length);
          writer.write(ac.bits, ac.size);
          run = 0;
        }
        if (run > 0) {
          const eob = acCodes[table].get(0x00);
          writer.write(eob.code, eob.length);
        }
      }
    }
  }
  out.push(...writer.finish());
  out.push(0xff, 0xd9); // EOI
  return Uint8Array.from(out);
}

// ---------------------------------------------------------------------------------------------
// GIF89a: one image, a global colour table, LZW-compressed indices.

/** Variable-width LZW as GIF uses it (GIF89a Appendix F): codes packed least significant bit first. */
export function lzwEncode(indices, minCodeSize) {
  const clearCode = 1 << minCodeSize;
  const endCode = clearCode + 1;
  const bytes = [];
  let bitBuffer = 0;
  let bitCount = 0;
  let codeSize = minCodeSize + 1;
  let nextCode = endCode + 1;
  let table = new Map();

  const emit = (code) => {
    bitBuffer |= code << bitCount;
    bitCount += codeSize;
    while (bitCount >= 8) {
      bytes.push(bitBuffer & 0xff);
      bitBuffer >>>= 8;
      bitCount -= 8;
    }
  };

  emit(clearCode);
  let prefix = indices[0];
  for (let i = 1; i < indices.length; i++) {
    const k = indices[i];
    const key = (prefix << 8) | k;
    const found = table.get(key);
    if (found !== undefined) {
      prefix = found;
      continue;
    }
    emit(prefix);
    if (nextCode === GIF_MAX_CODES) {
      // The table is full: start over so the decoder's table stays in step with ours.
      emit(clearCode);
      table = new Map();
      codeSize = minCodeSize + 1;
      nextCode = endCode + 1;
    } else {
      // The decoder widens its codes when its next free code no longer fits: mirror that timing.
      if (nextCode >= 1 << codeSize) codeSize++;
      table.set(key, nextCode++);
    }
    prefix = k;
  }
  emit(prefix);
  emit(endCode);
  if (bitCount > 0) bytes.push(bitBuffer & 0xff);
  return bytes;
}

/** Encodes a raster whose colours all appear in `palette` (at most 256 RGB triples) as GIF89a. */
export function encodeGif(raster, palette) {
  if (palette.length === 0 || palette.length > 256) throw new Error('a GIF palette holds 1 to 256 colours');
  const tableBits = Math.max(1, Math.ceil(Math.log2(palette.length)));
  const tableSize = 1 << tableBits;
  const lookup = new Map(palette.map((c, i) => [c.join(','), i]));
  const indices = new Uint8Array(raster.width * raster.height);
  for (let y = 0; y < raster.height; y++) {
    for (let x = 0; x < raster.width; x++) {
      const colour = raster.getPixel(x, y).join(',');
      const index = lookup.get(colour);
      if (index === undefined) throw new Error(`pixel ${x},${y} has colour ${colour}, which is not in the palette`);
      indices[y * raster.width + x] = index;
    }
  }
  const le16 = (n) => [n & 0xff, n >> 8];
  const out = [...Buffer.from('GIF89a', 'ascii')];
  // Logical screen descriptor: global colour table present, 8-bit colour resolution, its size.
  out.push(...le16(raster.width), ...le16(raster.height), 0x80 | 0x70 | (tableBits - 1), 0, 0);
  for (let i = 0; i < tableSize; i++) out.push(...(palette[i] ?? [0, 0, 0]));
  out.push(0x2c, ...le16(0), ...le16(0), ...le16(raster.width), ...le16(raster.height), 0);
  // The LZW minimum code size is at least 2, even for two-colour images (GIF89a Appendix F).
  const minCodeSize = Math.max(2, tableBits);
  out.push(minCodeSize);
  const data = lzwEncode(indices, minCodeSize);
  for (let i = 0; i < data.length; i += GIF_MAX_SUB_BLOCK) {
    const block = data.slice(i, i + GIF_MAX_SUB_BLOCK);
    out.push(block.length, ...block);
  }
  out.push(0x00, 0x3b); // block terminator, trailer
  return Uint8Array.from(out);
}

// ---------------------------------------------------------------------------------------------
// The pictures.

/** Ten clearly different background colours for img1..img10 of the someschool page. */
export const IMAGE_COLOURS = [
  [200, 40, 40], [230, 120, 20], [190, 160, 0], [60, 150, 50], [0, 140, 140],
  [30, 90, 190], [90, 60, 170], [160, 50, 150], [110, 80, 50], [70, 70, 70],
];
const WHITE = [255, 255, 255];
const BLACK = [0, 0, 0];

function numberedImage(n) {
  const raster = new Raster(64, 48, IMAGE_COLOURS[n - 1]);
  raster.strokeRect(2, 2, 60, 44, WHITE);
  raster.centredText(7, String(n), 5, WHITE);
  raster.centredText(37, 'JPEG', 1, WHITE);
  return raster;
}

const SKY = [120, 180, 235];
const GRASS = [60, 160, 60];
const SUN = [250, 210, 40];
const HOUSE = [180, 60, 50];

/** someDept/pic.gif: a small landscape with a school house, four colours plus black and white. */
function schoolPicture() {
  const raster = new Raster(64, 48, SKY);
  raster.fillCircle(52, 10, 6, SUN);
  raster.fillRect(0, 34, 64, 14, GRASS);
  raster.fillRect(12, 20, 22, 16, HOUSE);
  for (let i = 0; i < 8; i++) raster.fillRect(11 + i, 19 - i, 24 - 2 * i, 1, BLACK); // roof
  raster.fillRect(20, 28, 6, 8, WHITE); // door
  raster.text(40, 38, 'GIF', 1, WHITE);
  return { raster, palette: [SKY, GRASS, SUN, HOUSE, BLACK, WHITE] };
}

const PAPER = [245, 245, 235];
const CLIENT_BLUE = [40, 90, 180];
const SERVER_GREEN = [30, 130, 70];
const ARROW = [200, 60, 30];

/** gaia's client-server.gif: a client and a server with a request and a response between them. */
function clientServerPicture() {
  const raster = new Raster(120, 60, PAPER);
  raster.fillRect(6, 16, 30, 28, CLIENT_BLUE);
  raster.fillRect(84, 10, 30, 40, SERVER_GREEN);
  raster.text(9, 27, 'CLI', 2, WHITE);
  raster.text(87, 27, 'SRV', 2, WHITE);
  raster.fillRect(39, 22, 40, 2, ARROW);
  for (let i = 0; i < 4; i++) raster.fillRect(77 + i, 20 + i, 1, 6 - 2 * i, ARROW); // arrowhead: its tip touches the server
  raster.fillRect(41, 36, 40, 2, BLACK);
  for (let i = 0; i < 4; i++) raster.fillRect(42 - i, 34 + i, 1, 6 - 2 * i, BLACK); // arrowhead: its tip touches the client
  raster.text(48, 14, 'GET', 1, ARROW);
  raster.text(48, 42, '200 OK', 1, BLACK);
  return { raster, palette: [PAPER, CLIENT_BLUE, SERVER_GREEN, ARROW, BLACK, WHITE] };
}

/** gaia's segments.jpg: a message cut into numbered TCP segments, in shades of one colour. */
function segmentsPicture() {
  const raster = new Raster(96, 48, [235, 240, 250]);
  const shades = [[30, 70, 150], [50, 100, 180], [70, 130, 200], [100, 160, 220]];
  for (let i = 0; i < 4; i++) {
    raster.fillRect(4 + i * 23, 14, 20, 20, shades[i]);
    raster.text(11 + i * 23, 19, String(i + 1), 2, WHITE);
  }
  raster.centredText(4, 'TCP SEGMENTS', 1, [20, 40, 90]);
  raster.centredText(38, 'HTTP', 1, [20, 40, 90]);
  return raster;
}

/** Every generated file, by path relative to content/sites/. */
export function renderSiteImages() {
  const files = new Map();
  for (let n = 1; n <= 10; n++) files.set(`www.someschool.edu/someDepartment/images/img${n}.jpg`, encodeJpeg(numberedImage(n)));
  const pic = schoolPicture();
  files.set('www.someschool.edu/someDept/pic.gif', encodeGif(pic.raster, pic.palette));
  const cs = clientServerPicture();
  files.set('gaia.cs.umass.edu/wireshark-labs/images/client-server.gif', encodeGif(cs.raster, cs.palette));
  files.set('gaia.cs.umass.edu/wireshark-labs/images/segments.jpg', encodeJpeg(segmentsPicture()));
  return files;
}

function main(args) {
  const check = args.includes('--check');
  let stale = 0;
  for (const [relative, bytes] of renderSiteImages()) {
    const target = path.join(SITES_DIR, relative);
    if (check) {
      const same = fs.existsSync(target) && Buffer.compare(fs.readFileSync(target), Buffer.from(bytes)) === 0;
      if (!same) {
        console.error(`differs: ${relative}`);
        stale++;
      }
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, bytes);
    console.log(`wrote ${relative} (${bytes.length} bytes)`);
  }
  if (stale > 0) {
    console.error(`${stale} image(s) differ from a fresh run: run node scripts/make-site-images.mjs`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));

// Owns a small PNG reader for the guest tests (8-bit RGB/RGBA, no interlace: what QEMU's screendump writes), checking the signature and CRCs.
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';

export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  /** Bytes per pixel: 3 (RGB) or 4 (RGBA). */
  readonly channels: 3 | 4;
  /** width * height * channels bytes, rows top to bottom, filters undone. */
  readonly pixels: Buffer;
}

// zlib.crc32 is only in Node >= 20.15; RayOS supports 20.11.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function decodePng(png: Buffer): DecodedPng {
  assert.ok(png.subarray(0, 8).equals(SIGNATURE), 'not a PNG (signature)');
  let at = 8;
  let header: { width: number; height: number; channels: 3 | 4 } | null = null;
  const idat: Buffer[] = [];
  for (;;) {
    assert.ok(at + 12 <= png.length, 'PNG ends inside a chunk');
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    assert.equal(png.readUInt32BE(at + 8 + length), crc32(png.subarray(at + 4, at + 8 + length)), `bad CRC in ${type}`);
    at += 12 + length;
    if (type === 'IHDR') {
      const [depth, colour, , , interlace] = data.subarray(8, 13);
      assert.ok(depth === 8 && (colour === 2 || colour === 6) && interlace === 0, `unsupported PNG: depth ${depth}, colour type ${colour}, interlace ${interlace}`);
      header = { width: data.readUInt32BE(0), height: data.readUInt32BE(4), channels: colour === 2 ? 3 : 4 };
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
  }
  assert.ok(header !== null, 'PNG without IHDR');
  const { width, height, channels } = header;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  assert.equal(raw.length, height * (stride + 1), 'PNG image data has the wrong size');
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? row[i - channels] as number : 0;
      const b = up[i] as number;
      const c = i >= channels ? up[i - channels] as number : 0;
      let predictor: number;
      if (filter === 0) predictor = 0;
      else if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else assert.fail(`bad PNG filter ${filter} on row ${y}`);
      row[i] = ((src[i] as number) + predictor) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** How many pixels there are of each colour (as 0xRRGGBB), most frequent first. */
export function colourCounts(png: DecodedPng): [number, number][] {
  const counts = new Map<number, number>();
  for (let i = 0; i < png.pixels.length; i += png.channels) {
    const rgb = ((png.pixels[i] as number) << 16) | ((png.pixels[i + 1] as number) << 8) | (png.pixels[i + 2] as number);
    counts.set(rgb, (counts.get(rgb) ?? 0) + 1);
  }
  return [...counts].sort((x, y) => y[1] - x[1]);
}

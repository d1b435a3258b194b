// Owns reading the size of a PNG from its header (signature + IHDR), without decoding the image.
import { err, ok, type Result } from '../../base/result.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Larger than any display mode QEMU's VGA offers; a bigger header is not a screendump we asked for. */
const MAX_SIDE = 16_384;

/** Width and height from the IHDR chunk, which a valid PNG has first, right after the 8-byte signature. */
export function pngSize(untrustedBytes: Uint8Array): Result<{ width: number; height: number }, string> {
  if (untrustedBytes.length < 24) return err(`${untrustedBytes.length} bytes is too short for a PNG`);
  if (!SIGNATURE.every((byte, i) => untrustedBytes[i] === byte)) return err('the PNG signature is missing');
  const view = new DataView(untrustedBytes.buffer, untrustedBytes.byteOffset, untrustedBytes.byteLength);
  const chunk = String.fromCharCode(untrustedBytes[12]!, untrustedBytes[13]!, untrustedBytes[14]!, untrustedBytes[15]!);
  if (chunk !== 'IHDR') return err(`the first chunk is ${JSON.stringify(chunk)}, not IHDR`);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) return err(`implausible size ${width}x${height}`);
  return ok({ width, height });
}

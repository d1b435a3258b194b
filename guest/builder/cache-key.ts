// Owns the guest image's identity: the cache key (a hash of every build input) and the manifest written beside the image.
import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Bump when the builder's output changes for the same inputs (a new file in the initramfs, another layout). */
export const BUILDER_VERSION = 1;

/** Everything that decides the bytes of the image. Two builds with equal inputs produce the same key. */
export interface GuestInputs {
  readonly builderVersion: number;
  readonly kernelPackage: string;
  readonly kernelPackageVersion: string;
  readonly busyboxVersion: string;
  /** sha256 of each agent source file, by file name. */
  readonly agentSources: Readonly<Record<string, string>>;
  /** The C compiler (first line of `gcc --version`): a new one may produce another agent binary. */
  readonly compiler: string;
  readonly initScript: string;
  readonly modules: readonly string[];
  /** Loaded in the background for the VGA console. */
  readonly displayModules: readonly string[];
  readonly kernelCmdline: string;
}

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** A canonical JSON text: object keys sorted at every level, so key order never changes the hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** e.g. "linux-6.1.0-56-amd64-3f2a9c0d1e2b4a5c": readable at a glance, and a hash of all the inputs. */
export function cacheKey(inputs: GuestInputs): string {
  const kernel = inputs.kernelPackage.replace(/^linux-image-/, '').replace(/[^A-Za-z0-9.-]/g, '_');
  return `linux-${kernel}-${sha256(canonicalJson(inputs)).slice(0, 16)}`;
}

export { sha256 };

export const GuestManifestSchema = z.object({
  key: z.string().regex(/^[A-Za-z0-9._-]+$/),
  builderVersion: z.number().int(),
  kernelPackage: z.string(),
  kernelPackageVersion: z.string(),
  kernelVersion: z.string(),
  /** What `vmlinuz` is: the uncompressed ELF kernel with a PVH entry (fast under TCG) or Debian's bzImage. Both boot with -kernel. */
  kernelFormat: z.enum(['elf-pvh', 'bzimage']),
  busyboxVersion: z.string(),
  agentSha256: z.string().regex(/^[0-9a-f]{64}$/),
  modules: z.array(z.string()),
  /** Loaded by init in the background for the VGA console (absent in images from before it had one). */
  displayModules: z.array(z.string()).default([]),
  kernelCmdline: z.string(),
  /** The virtio-serial port name the agent serves (guest-agent.ts GUEST_AGENT_PORT_NAME). */
  agentPort: z.string(),
  builtAt: z.string(),
  files: z.object({ kernel: z.literal('vmlinuz'), initrd: z.literal('initrd.img') }),
});
export type GuestManifest = z.infer<typeof GuestManifestSchema>;

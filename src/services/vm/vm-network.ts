// Owns guest networking on demand: plugging the NIC in and out over QMP, and the guest's eth0 set up through its agent.
import { z } from 'zod';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { ExecResult } from '../../contracts/guest-agent.js';
import type { QmpClient } from '../../platform/qmp/qmp-client.js';
import { NET_DEVICE_DRIVER, NET_DEVICE_ID, NET_NETDEV_ID, NET_ROOT_PORT_ID } from '../../platform/qemu/qemu-argv.js';
import type { GuestLink } from './guest-link.js';

/** The guest's name for the one NIC RayOS gives it (busybox has no udev, so virtio_net's first device is eth0). */
export const GUEST_NIC = 'eth0';
/** QEMU user-mode networking's fixed addresses: the guest is 10.0.2.15/24, 10.0.2.2 is the host's loopback. */
export const GUEST_ADDRESS = '10.0.2.15/24';
export const GUEST_GATEWAY = '10.0.2.2';

/** How long the guest has to bind a hot-plugged NIC (ACPI hot-plug under TCG: a few hundred ms). */
export const NIC_APPEAR_TIMEOUT_MS = 20_000;
/** How long the guest has to release the NIC after device_del (it must acknowledge the unplug; pciehp waits 5 s). */
export const NIC_UNPLUG_TIMEOUT_MS = 30_000;
const POLL_MS = 100;
const EXEC_TIMEOUT_MS = 10_000;

/**
 * Brings eth0 up with the user-mode address and default route. Idempotent: an address already there is kept
 * (re-adding would fail; flushing would cut open connections), and the route is replaced, not added.
 */
const CONFIGURE_SCRIPT = [
  `ip link set ${GUEST_NIC} up`,
  `{ ip -4 addr show dev ${GUEST_NIC} | grep -q ' ${GUEST_ADDRESS} ' || ip addr add ${GUEST_ADDRESS} dev ${GUEST_NIC}; }`,
  `ip route replace default via ${GUEST_GATEWAY} dev ${GUEST_NIC}`,
].join(' && ');

const DeviceDeletedSchema = z.object({ device: z.string().optional(), path: z.string().optional() });

/**
 * The reason as a marker argument: RAYOS_POLICY:NETWORK:<vm>:on|off:<reason> must split back into its parts, so
 * anything but letters, digits, '.', '_' and '-' becomes '-', and it is cut to 64 characters.
 */
export function networkReason(untrustedReason: string): string {
  const cleaned = untrustedReason.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
  return cleaned === '' ? 'unspecified' : cleaned;
}

/** What QEMU said when it refused, from the error's details (RAYOS_QMP_COMMAND_FAILED carries class and desc). */
function qemuRefusal(error: RayosError): { class: string; desc: string } | null {
  if (error.code !== 'RAYOS_QMP_COMMAND_FAILED') return null;
  return { class: String(error.details?.['class'] ?? ''), desc: String(error.details?.['desc'] ?? '') };
}

/** netdev_add (user) then device_add (virtio-net-pci into rp-net); a refused device_add takes the netdev away again. */
export async function plugNic(qmp: QmpClient, vm: string): Promise<Result<void, RayosError>> {
  const netdev = await qmp.executeUntyped('netdev_add', { type: 'user', id: NET_NETDEV_ID });
  if (!netdev.ok) {
    return err(rayosError(netdev.error.code, `${vm}: QEMU would not create the user-mode network backend (${netdev.error.message}); the network stays off.`, netdev.error.details));
  }
  const device = await qmp.executeUntyped('device_add', { driver: NET_DEVICE_DRIVER, id: NET_DEVICE_ID, netdev: NET_NETDEV_ID, bus: NET_ROOT_PORT_ID });
  if (!device.ok) {
    await qmp.executeUntyped('netdev_del', { id: NET_NETDEV_ID });
    return err(
      rayosError(
        device.error.code,
        `${vm}: QEMU would not plug the NIC into ${NET_ROOT_PORT_ID} (${device.error.message}); the network stays off. A VM launched before RayOS had guest networking lacks the port: stop and start it once.`,
        device.error.details,
      ),
    );
  }
  return ok(undefined);
}

/**
 * device_del, then DEVICE_DELETED (the guest acknowledged the unplug), then netdev_del. A NIC or netdev that is
 * already gone counts as removed, so a retry after a timeout finishes the job.
 */
export async function unplugNic(qmp: QmpClient, vm: string, timeoutMs = NIC_UNPLUG_TIMEOUT_MS): Promise<Result<void, RayosError>> {
  let stopListening = (): void => {};
  const deleted = new Promise<void>((resolve) => {
    stopListening = qmp.onEvent((event) => {
      if (event.name !== 'DEVICE_DELETED') return;
      const data = DeviceDeletedSchema.safeParse(event.data);
      if (data.success && (data.data.device === NET_DEVICE_ID || data.data.path === `/machine/peripheral/${NET_DEVICE_ID}`)) resolve();
    });
  });
  try {
    const asked = await qmp.executeUntyped('device_del', { id: NET_DEVICE_ID });
    let waitForGuest = true;
    if (!asked.ok) {
      const refusal = qemuRefusal(asked.error);
      if (refusal?.class === 'DeviceNotFound') waitForGuest = false;
      // "already in the process of unplug": an earlier request still waits for the guest, so wait with it.
      else if (!/in the process of unplug/i.test(refusal?.desc ?? '')) {
        return err(rayosError(asked.error.code, `${vm}: QEMU would not unplug the NIC (${asked.error.message}); the network stays on.`, asked.error.details));
      }
    }
    if (waitForGuest) {
      let timer: NodeJS.Timeout | undefined;
      const gone = await Promise.race([
        deleted.then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (!gone) {
        return err(
          rayosError(
            'RAYOS_QMP_TIMEOUT',
            `${vm}: the guest did not release its NIC within ${Math.round(timeoutMs / 1000)} s of the unplug request (it must acknowledge it); the network is still on. Try again; if the guest is hung, stop the VM and turn the network off while it is stopped.`,
          ),
        );
      }
    }
  } finally {
    stopListening();
  }
  const netdev = await qmp.executeUntyped('netdev_del', { id: NET_NETDEV_ID });
  if (!netdev.ok && qemuRefusal(netdev.error)?.class !== 'DeviceNotFound') {
    return err(rayosError(netdev.error.code, `${vm}: the NIC is unplugged but QEMU kept its network backend (${netdev.error.message}); turn the network off again to finish.`, netdev.error.details));
  }
  return ok(undefined);
}

async function guestSh(link: GuestLink, script: string): Promise<Result<ExecResult, RayosError>> {
  return link.exec(['sh', '-c', script], EXEC_TIMEOUT_MS);
}

/** Whether the guest kernel has virtio_net (images built before guest networking do not). */
export async function guestHasNetDriver(link: GuestLink, vm: string): Promise<Result<boolean, RayosError>> {
  const probe = await guestSh(link, 'test -d /sys/module/virtio_net');
  if (!probe.ok) return err(rayosError(probe.error.code, `${vm}: cannot ask the guest about its network driver (${probe.error.message}).`, probe.error.details));
  return ok(probe.value.exitCode === 0);
}

/** Polls the guest until it has bound the NIC (eth0 has an address file), within the deadline. */
export async function waitForGuestNic(link: GuestLink, vm: string, timeoutMs = NIC_APPEAR_TIMEOUT_MS): Promise<Result<string, RayosError>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await guestSh(link, `cat /sys/class/net/${GUEST_NIC}/address`);
    if (!seen.ok) return err(rayosError(seen.error.code, `${vm}: lost the guest agent while waiting for ${GUEST_NIC} (${seen.error.message}).`, seen.error.details));
    if (seen.value.exitCode === 0) return ok(seen.value.stdout.trim());
    if (Date.now() + POLL_MS >= deadline) {
      return err(
        rayosError('RAYOS_GUEST_AGENT_TIMEOUT', `${vm}: the guest did not bind the hot-plugged NIC as ${GUEST_NIC} within ${Math.round(timeoutMs / 1000)} s (see "rayos vm logs ${vm}"); the NIC was taken out again and the network stays off.`),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Brings eth0 up as 10.0.2.15/24 with the default route via 10.0.2.2 (idempotent). */
export async function configureGuestNic(link: GuestLink, vm: string): Promise<Result<void, RayosError>> {
  const ran = await guestSh(link, CONFIGURE_SCRIPT);
  if (!ran.ok) return err(rayosError(ran.error.code, `${vm}: cannot configure ${GUEST_NIC} in the guest (${ran.error.message}).`, ran.error.details));
  if (ran.value.exitCode !== 0) {
    return err(rayosError('RAYOS_GUEST_EXEC_FAILED', `${vm}: configuring ${GUEST_NIC} in the guest failed (exit ${ran.value.exitCode}: ${ran.value.stderr.trim().slice(0, 200)}); see "rayos vm logs ${vm}".`));
  }
  return ok(undefined);
}

// Owns the handlers of the VM routes: validated input in, the supervisor's Result out as a reply or a RAYOS_* error.
import type { z } from 'zod';
import type { Result } from '../base/result.js';
import type { API_ROUTES } from '../contracts/api-routes.js';
import { RayosFailure, type RayosError } from '../contracts/errors.js';
import type { Principal, PolicyActor } from '../contracts/policy.js';
import type { VmSupervisor } from '../services/vm/api.js';

type Params = z.infer<typeof API_ROUTES.vmShow.params>;
type Input = { params: unknown; query: unknown; body: unknown; principal: Principal };

const actor = (input: Input): PolicyActor => ({ principal: input.principal });

/** The route loop turns a thrown RayosFailure into the error reply with its status. */
function unwrap<T>(result: Result<T, RayosError>): T {
  if (!result.ok) throw new RayosFailure(result.error);
  return result.value;
}

export function vmHandlers(vms: VmSupervisor) {
  const name = (input: Input): string => (input.params as Params).name;
  return {
    vmList: () => ({ vms: vms.list() }),
    vmShow: (input: Input) => unwrap(vms.show(name(input))),
    vmStart: async (input: Input) => unwrap(await vms.start(name(input), actor(input))),
    vmStop: async (input: Input) => unwrap(await vms.stop(name(input), input.body as z.infer<typeof API_ROUTES.vmStop.body>, actor(input))),
    vmPause: async (input: Input) => unwrap(await vms.pause(name(input), actor(input))),
    vmResume: async (input: Input) => unwrap(await vms.resume(name(input), actor(input))),
    vmSuspend: async (input: Input) => unwrap(await vms.suspend(name(input), actor(input))),
    vmSnapshots: async (input: Input) => ({ snapshots: unwrap(await vms.snapshots(name(input))) }),
    vmSnapshot: async (input: Input) => unwrap(await vms.snapshot(name(input), (input.body as z.infer<typeof API_ROUTES.vmSnapshot.body>).tag, actor(input))),
    vmRestore: async (input: Input) => unwrap(await vms.restore(name(input), (input.body as z.infer<typeof API_ROUTES.vmRestore.body>).tag, actor(input))),
    vmReset: async (input: Input) => unwrap(await vms.reset(name(input), actor(input))),
    vmExec: async (input: Input) => {
      const body = input.body as z.infer<typeof API_ROUTES.vmExec.body>;
      return unwrap(await vms.exec(name(input), body.argv, body.timeoutMs, actor(input)));
    },
    vmLogs: async (input: Input) => unwrap(await vms.logs(name(input), (input.query as z.infer<typeof API_ROUTES.vmLogs.query>).lines)),
    vmClock: async (input: Input) => unwrap(await vms.clock(name(input))),
    vmNetwork: async (input: Input) => unwrap(await vms.setNetwork(name(input), (input.body as z.infer<typeof API_ROUTES.vmNetwork.body>).enabled, actor(input))),
    windowsProvision: async (input: Input) => unwrap(await vms.provisionWindows(input.body as z.infer<typeof API_ROUTES.windowsProvision.body>, actor(input))),
  };
}

// Owns the handlers of the surface routes: the compositor (list, present, hide, focus, move), screenshots and input.
import type { z } from 'zod';
import type { Result } from '../base/result.js';
import type { API_ROUTES } from '../contracts/api-routes.js';
import { RayosFailure, type RayosError } from '../contracts/errors.js';
import type { Principal, PolicyActor } from '../contracts/policy.js';
import type { DisplayControl } from '../services/display/api.js';
import type { InputBroker } from '../services/input/api.js';

type Input = { params: unknown; query: unknown; body: unknown; principal: Principal };

function unwrap<T>(result: Result<T, RayosError>): T {
  if (!result.ok) throw new RayosFailure(result.error);
  return result.value;
}

export function surfaceHandlers(display: DisplayControl, input: InputBroker) {
  const vm = (i: Input): string => (i.params as z.infer<typeof API_ROUTES.surfacePresent.params>).vm;
  const actor = (i: Input): PolicyActor => ({ principal: i.principal });
  return {
    surfaceList: () => display.list(),
    surfacePresent: async (i: Input) => unwrap(await display.present(vm(i), { layout: (i.body as z.infer<typeof API_ROUTES.surfacePresent.body>).layout }, actor(i))),
    surfaceHide: async (i: Input) => unwrap(await display.hide(vm(i), actor(i))),
    surfaceFocus: (i: Input) => unwrap(display.focus(vm(i))),
    surfaceBlur: () => display.blur(),
    surfaceMove: (i: Input) => unwrap(display.move(vm(i), i.body as z.infer<typeof API_ROUTES.surfaceMove.body>)),
    surfaceScreenshot: async (i: Input) => unwrap(await display.screenshot(vm(i))),
    surfaceInput: async (i: Input) => unwrap(await input.route(vm(i), (i.body as z.infer<typeof API_ROUTES.surfaceInput.body>).events, actor(i))),
  };
}

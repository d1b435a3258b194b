// Owns the handlers of the policy and audit routes: the set in force, check/apply/explain/test, questions and the audit trail.
import type { z } from 'zod';
import type { Result } from '../base/result.js';
import type { API_ROUTES } from '../contracts/api-routes.js';
import { RayosFailure, rayosError, type RayosError } from '../contracts/errors.js';
import type { Principal } from '../contracts/policy.js';
import type { PolicyControl } from '../services/policy/api.js';

type Input = { params: unknown; query: unknown; body: unknown; principal: Principal };

function unwrap<T>(result: Result<T, RayosError>): T {
  if (!result.ok) throw new RayosFailure(result.error);
  return result.value;
}

export function policyHandlers(policy: PolicyControl) {
  return {
    policyShow: () => policy.show(),
    policyCheck: (input: Input) => {
      const body = input.body as z.infer<typeof API_ROUTES.policyCheck.body>;
      return unwrap(policy.check(body.name, body.text));
    },
    policyApply: async (input: Input) => {
      const body = input.body as z.infer<typeof API_ROUTES.policyApply.body>;
      // Changing the policy is itself an action the policy in force must allow (and the new set must keep allowing).
      unwrap(await policy.authorize({ principal: input.principal, action: 'policy.apply', resource: { kind: 'PolicySet', id: 'active' } }));
      return unwrap(policy.apply(body.name, body.text));
    },
    policyRemove: async (input: Input) => {
      const body = input.body as z.infer<typeof API_ROUTES.policyRemove.body>;
      unwrap(await policy.authorize({ principal: input.principal, action: 'policy.apply', resource: { kind: 'PolicySet', id: 'active' } }));
      return unwrap(policy.remove(body.name));
    },
    policyExplain: (input: Input) => policy.explain((input.query as z.infer<typeof API_ROUTES.policyExplain.query>).action),
    policyTest: (input: Input) => policy.test(input.body as z.infer<typeof API_ROUTES.policyTest.body>),
    policyQuestions: () => ({ questions: policy.questions() }),
    policyAnswer: (input: Input) => {
      // A question is put to the person; a token-holding client must not be able to answer its own.
      if (input.principal.kind !== 'Person') {
        throw new RayosFailure(rayosError('RAYOS_POLICY_DENIED', 'Only the person (the CLI on the unix socket, or the RayOS UI) answers policy questions; "rayos policy answer ID yes|no".'));
      }
      const { id } = input.params as z.infer<typeof API_ROUTES.policyAnswer.params>;
      const { answer } = input.body as z.infer<typeof API_ROUTES.policyAnswer.body>;
      return unwrap(policy.answer(id, answer, `${input.principal.kind}::"${input.principal.id}"`));
    },
    audit: async (input: Input) => ({ entries: await policy.audit(input.query as z.infer<typeof API_ROUTES.audit.query>) }),
  };
}

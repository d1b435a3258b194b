// Owns what an enforcement point calls before it acts: decide, and for "ask" wait for the person; deny becomes an error.
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { PolicyDecision, PolicyRequest } from '../../contracts/policy.js';
import { entityName } from './policy-engine.js';
import type { PolicyQuestions } from './policy-questions.js';

export interface PolicyDecider {
  decide(request: PolicyRequest): PolicyDecision;
}


export class PolicyGate {
  constructor(
    private readonly decider: PolicyDecider,
    private readonly questions: PolicyQuestions,
  ) {}

  /** Resolves ok(decision) when the action may run now; RAYOS_POLICY_DENIED or RAYOS_POLICY_ASK_DECLINED otherwise. */
  async authorize(request: PolicyRequest): Promise<Result<PolicyDecision, RayosError>> {
    const decided = this.decider.decide(request);
    const what = `${request.action} on ${entityName(request.resource)}`;
    if (decided.decision === 'allow') return ok(decided);
    if (decided.decision === 'deny') {
      const by = decided.policies.length > 0 ? ` (policy ${decided.policies.join(', ')})` : '';
      return err(
        rayosError('RAYOS_POLICY_DENIED', `Policy denies ${what}${by}: ${decided.reason} "rayos policy explain ${request.action}" shows the policies that govern it.`, {
          action: request.action,
          policies: decided.policies,
        }),
      );
    }
    const answer = await this.questions.ask({
      principal: entityName(request.principal),
      action: request.action,
      resource: entityName(request.resource),
      reason: decided.reason,
      policies: decided.policies,
    });
    if (answer === 'allow') return ok({ ...decided, decision: 'allow', reason: `${decided.reason} The person allowed it when asked.` });
    const why = answer === 'deny' ? 'the person said no' : 'nobody answered in time';
    return err(rayosError('RAYOS_POLICY_ASK_DECLINED', `Policy asked before ${what} (${decided.reason}), and ${why}; nothing was done.`, { action: request.action, policies: decided.policies }));
  }
}

// Owns the policy service as the rest of RayOS sees it: the engine plus authorize (with questions), preview and the audit trail.
import type { Result } from '../../base/result.js';
import type { RayosError } from '../../contracts/errors.js';
import type { AuditEntry, PolicyDecision, PolicyQuestion, PolicyRequest } from '../../contracts/policy.js';
import type { EventBus } from '../../kernel/event-bus.js';
import type { MarkerWriter } from '../../kernel/marker-writer.js';
import type { Storage } from '../storage/api.js';
import { readAudit, type AuditQuery } from './policy-audit.js';
import { PolicyGate } from './policy-gate.js';
import { PolicyQuestions, type QuestionAnswer } from './policy-questions.js';
import { createPolicyService, type PolicyEngineApi, type PolicyService } from './policy-service.js';

export interface PolicyControl extends PolicyEngineApi {
  /** Before an action runs: ok when allowed (an "ask" waits for the person); RAYOS_POLICY_DENIED / _ASK_DECLINED otherwise. */
  authorize(request: PolicyRequest): Promise<Result<PolicyDecision, RayosError>>;
  /** What the set in force would decide, without acting or auditing. */
  test(request: PolicyRequest): PolicyDecision;
  questions(): PolicyQuestion[];
  answer(id: string, answer: QuestionAnswer, by: string): Result<PolicyQuestion, RayosError>;
  audit(query: AuditQuery): Promise<AuditEntry[]>;
}

export type PolicyControlService = PolicyService & PolicyControl;

export function createPolicyControl(options: { storage: Storage; bus: EventBus; markers: MarkerWriter; askTimeoutMs: () => number }): PolicyControlService {
  const engine = createPolicyService({ storage: options.storage });
  const questions = new PolicyQuestions({ bus: options.bus, markers: options.markers, timeoutMs: options.askTimeoutMs });
  const gate = new PolicyGate(engine, questions);
  return {
    ...engine,
    async stop(reason: string) {
      // Nobody waits on a question the stopping runtime can no longer answer.
      questions.closeAll();
      await engine.stop(reason);
    },
    authorize: (request) => gate.authorize(request),
    test: (request) => engine.preview(request),
    questions: () => questions.list(),
    answer: (id, answer, by) => questions.answer(id, answer, by),
    audit: (query) => readAudit(options.storage, query),
  };
}

// Owns the client's policy and audit calls: the set in force, check/apply/explain/test, questions and answers, the audit trail.
import { API_ROUTES } from '../contracts/api-routes.js';
import type { AuditPage, PolicyAction, PolicyDecision, PolicyExplain, PolicyFileResult, PolicyQuestion, PolicyRequest, PolicyShow } from '../contracts/policy.js';
import type { Call, ClientResult } from './rayos-client.js';

export interface PolicyApi {
  show(): ClientResult<PolicyShow>;
  check(name: string, text: string): ClientResult<PolicyFileResult>;
  apply(name: string, text: string): ClientResult<PolicyFileResult>;
  remove(name: string): ClientResult<PolicyFileResult>;
  explain(action: PolicyAction): ClientResult<PolicyExplain>;
  test(request: PolicyRequest): ClientResult<PolicyDecision>;
  questions(): ClientResult<{ questions: PolicyQuestion[] }>;
  answer(id: string, answer: 'allow' | 'deny'): ClientResult<PolicyQuestion>;
}

export interface AuditQueryInput {
  sinceMs?: number | undefined;
  decision?: 'allow' | 'deny' | 'ask' | undefined;
  limit?: number | undefined;
}

export function policyApi(call: Call): PolicyApi {
  return {
    show: () => call('policyShow', API_ROUTES.policyShow.response),
    check: (name, text) => call('policyCheck', API_ROUTES.policyCheck.response, { body: { name, text } }),
    apply: (name, text) => call('policyApply', API_ROUTES.policyApply.response, { body: { name, text } }),
    remove: (name) => call('policyRemove', API_ROUTES.policyRemove.response, { body: { name } }),
    explain: (action) => call('policyExplain', API_ROUTES.policyExplain.response, { query: { action } }),
    test: (request) => call('policyTest', API_ROUTES.policyTest.response, { body: request }),
    questions: () => call('policyQuestions', API_ROUTES.policyQuestions.response),
    answer: (id, answer) => call('policyAnswer', API_ROUTES.policyAnswer.response, { params: { id }, body: { answer } }),
  };
}

export function auditCall(call: Call) {
  return (query: AuditQueryInput = {}): ClientResult<AuditPage> => call('audit', API_ROUTES.audit.response, { query: { ...query } });
}

// Owns the open policy questions: an "ask" decision waits here for the person's answer, or times out to deny.
import { randomBytes } from 'node:crypto';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { PolicyQuestion } from '../../contracts/policy.js';
import type { EventBus } from '../../kernel/event-bus.js';
import type { MarkerWriter } from '../../kernel/marker-writer.js';

export type QuestionAnswer = 'allow' | 'deny';

interface OpenQuestion {
  readonly question: PolicyQuestion;
  readonly settle: (answer: QuestionAnswer | 'expired') => void;
  readonly timer: NodeJS.Timeout;
}

export interface QuestionInput {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly reason: string;
  readonly policies: readonly string[];
}

export class PolicyQuestions {
  private readonly open = new Map<string, OpenQuestion>();

  constructor(
    private readonly deps: { bus: EventBus; markers: MarkerWriter; timeoutMs: () => number },
  ) {}

  /** Publishes the question and resolves with the answer; no answer within the timeout is a deny. */
  ask(input: QuestionInput): Promise<QuestionAnswer | 'expired'> {
    // Short, unguessable, and plain enough for a marker and a command line.
    const id = `q-${randomBytes(4).toString('hex')}`;
    const timeoutMs = this.deps.timeoutMs();
    const question: PolicyQuestion = { id, ...input, policies: [...input.policies], askedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + timeoutMs).toISOString() };
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (!this.open.delete(id)) return;
        this.deps.markers.emit('RAYOS_POLICY', 'EXPIRED', id);
        this.deps.bus.publish('policy.question-expired', { id });
        resolve('expired');
      }, timeoutMs);
      this.open.set(id, { question, settle: resolve, timer });
      // Marker arguments cannot hold ':' — Vm::"linux" is written Vm.linux there, as in RAYOS_POLICY:DENIED.
      this.deps.markers.emit('RAYOS_POLICY', 'ASK', id, input.action, input.resource.replace(/^([A-Za-z]+)::"(.*)"$/, '$1.$2').replace(/:/g, '_'));
      this.deps.bus.publish('policy.question-asked', { id, principal: input.principal, action: input.action, resource: input.resource, reason: input.reason, expiresAt: question.expiresAt });
    });
  }

  list(): PolicyQuestion[] {
    return [...this.open.values()].map((q) => q.question);
  }

  answer(untrustedId: string, answer: QuestionAnswer, by: string): Result<PolicyQuestion, RayosError> {
    const open = this.open.get(untrustedId);
    if (open === undefined) {
      const ids = [...this.open.keys()].join(', ') || 'none';
      return err(rayosError('RAYOS_POLICY_QUESTION_NOT_FOUND', `No open policy question ${JSON.stringify(untrustedId.slice(0, 40))} (open: ${ids}); it may have been answered or expired. "rayos policy questions" lists the open ones.`));
    }
    this.open.delete(untrustedId);
    clearTimeout(open.timer);
    this.deps.markers.emit('RAYOS_POLICY', 'ANSWERED', untrustedId, answer);
    this.deps.bus.publish('policy.question-answered', { id: untrustedId, answer, by });
    open.settle(answer);
    return ok(open.question);
  }

  /** At stop: every open question is declined, so no caller waits on a runtime that is going away. */
  closeAll(): void {
    for (const [id, open] of this.open) {
      clearTimeout(open.timer);
      this.open.delete(id);
      open.settle('expired');
    }
  }
}

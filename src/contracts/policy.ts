// Owns the policy shapes shared by the policy service, its enforcement points, the API, the client and the CLI.
import { z } from 'zod';

/** Every action RayOS decides by policy before it runs. The Cedar schema declares exactly these. */
export const POLICY_ACTIONS = [
  'vm.create',
  'vm.start',
  'vm.stop',
  'vm.pause',
  'vm.resume',
  'vm.suspend',
  'vm.snapshot',
  'vm.restore',
  'vm.reset',
  'vm.exec',
  'vm.network.enable',
  'vm.network.disable',
  'vm.device.attach',
  'surface.present',
  'surface.hide',
  'input.route',
  'clipboard.transfer',
  'file.share',
  'policy.apply',
  'runtime.stop',
  'journal.note',
] as const;
export const PolicyActionSchema = z.enum(POLICY_ACTIONS);
export type PolicyAction = z.infer<typeof PolicyActionSchema>;

/** Who asks. Person: the owner at the CLI or UI (unix socket); ApiClient: a bearer-token client over TCP. */
export const PrincipalKindSchema = z.enum(['Person', 'Conductor', 'ApiClient', 'GuestAgent']);
export type PrincipalKind = z.infer<typeof PrincipalKindSchema>;

/** Cedar entity ids end up in messages and markers: keep them plain. */
const EntityIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'an entity id is 1–64 of A-Z, a-z, 0-9, ".", "_", ":" and "-"');

export const PrincipalSchema = z.object({ kind: PrincipalKindSchema, id: EntityIdSchema });
export type Principal = z.infer<typeof PrincipalSchema>;

/** What a VM looks like to policy: the figures limits are written against. */
export const VmPolicyAttrsSchema = z.object({
  kind: z.enum(['linux', 'windows']),
  memoryMiB: z.number().int().nonnegative(),
  vcpus: z.number().int().nonnegative(),
  diskMiB: z.number().int().nonnegative(),
  network: z.boolean(),
});

export const PolicyResourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('Vm'), id: EntityIdSchema, attrs: VmPolicyAttrsSchema }),
  z.object({ kind: z.literal('Surface'), id: EntityIdSchema, attrs: z.object({ vm: EntityIdSchema }) }),
  z.object({ kind: z.literal('Device'), id: EntityIdSchema, attrs: z.object({ class: z.string().max(64) }) }),
  z.object({ kind: z.literal('PolicySet'), id: EntityIdSchema }),
  z.object({ kind: z.literal('Runtime'), id: EntityIdSchema }),
]);
export type PolicyResource = z.infer<typeof PolicyResourceSchema>;

/**
 * What the enforcement point knows about the moment. Every field is optional to the caller; the policy service
 * fills defaults (confidencePct 100: a typed command is certain; presented/focused false).
 */
export const PolicyContextSchema = z
  .object({
    /** How sure System 2 was of the intent, 0–100; 100 for a typed CLI/API command. */
    confidencePct: z.number().int().min(0).max(100),
    /** Whether the surface (or the VM's surface) is presented and focused. */
    presented: z.boolean(),
    focused: z.boolean(),
    /** The runtime is bringing VMs back at start (not a person's request). */
    atBoot: z.boolean(),
    /** Host-wide figures already committed to other running VMs, for the budget. */
    committedMemoryMiB: z.number().int().nonnegative(),
    committedVcpus: z.number().int().nonnegative(),
    /** For clipboard.transfer and file.share: where the data comes from and goes to ("host" or a VM name). */
    from: z.string().max(64),
    to: z.string().max(64),
    /** Seconds since the Unix epoch, for time-of-day rules. */
    now: z.number().int(),
  })
  .partial()
  .strict();
export type PolicyContext = z.infer<typeof PolicyContextSchema>;

export const PolicyRequestSchema = z
  .object({
    principal: PrincipalSchema,
    action: PolicyActionSchema,
    resource: PolicyResourceSchema,
    context: PolicyContextSchema.default({}),
  })
  .strict();
export type PolicyRequest = z.input<typeof PolicyRequestSchema>;

export const PolicyDecisionKindSchema = z.enum(['allow', 'deny', 'ask']);
export type PolicyDecisionKind = z.infer<typeof PolicyDecisionKindSchema>;

export const PolicyDecisionSchema = z.object({
  decision: PolicyDecisionKindSchema,
  /** The ids (@id annotations, else file:index) of the policies that determined it; empty for deny-by-default. */
  policies: z.array(z.string()),
  /** One sentence a person can read. */
  reason: z.string(),
});
export type PolicyDecision = z.infer<typeof PolicyDecisionSchema>;

/** An "ask" decision waiting for the person: answered with `rayos policy answer ID yes|no`, or it expires to deny. */
export const PolicyQuestionSchema = z.object({
  id: z.string(),
  principal: z.string(),
  action: z.string(),
  resource: z.string(),
  reason: z.string(),
  policies: z.array(z.string()),
  askedAt: z.string(),
  expiresAt: z.string(),
});
export type PolicyQuestion = z.infer<typeof PolicyQuestionSchema>;
export const PolicyQuestionListSchema = z.object({ questions: z.array(PolicyQuestionSchema) });

export const PolicyQuestionParamsSchema = z.object({ id: z.string() });
export const PolicyAnswerRequestSchema = z.object({ answer: z.enum(['allow', 'deny']) }).strict();

/** One policy of the set in force, as `rayos policy show` and `explain` print it. */
export const PolicyInfoSchema = z.object({
  id: z.string(),
  file: z.string(),
  effect: z.enum(['permit', 'forbid']),
  ask: z.boolean(),
  reason: z.string().nullable(),
  text: z.string(),
});
export type PolicyInfo = z.infer<typeof PolicyInfoSchema>;

export const PolicyShowSchema = z.object({
  files: z.array(z.object({ name: z.string(), policies: z.array(PolicyInfoSchema) })),
  loadedAt: z.string(),
});
export type PolicyShow = z.infer<typeof PolicyShowSchema>;

export const PolicyExplainQuerySchema = z.object({ action: PolicyActionSchema }).strict();
export const PolicyExplainSchema = z.object({ action: PolicyActionSchema, policies: z.array(PolicyInfoSchema) });
export type PolicyExplain = z.infer<typeof PolicyExplainSchema>;

/** `check` and `apply` send a file's name and text; check changes nothing. */
export const PolicyFileRequestSchema = z.object({ name: z.string().max(80), text: z.string().max(256 * 1024) }).strict();
export const PolicyRemoveRequestSchema = z.object({ name: z.string().max(80) }).strict();
export const PolicyFileResultSchema = z.object({ name: z.string(), policies: z.number().int(), applied: z.boolean() });
export type PolicyFileResult = z.infer<typeof PolicyFileResultSchema>;

/** One audited decision, as `rayos audit` prints it (from the journal). */
export const AuditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  principal: z.string(),
  action: z.string(),
  resource: z.string(),
  decision: z.string(),
  policies: z.array(z.string()),
  reason: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export const AuditQuerySchema = z
  .object({
    sinceMs: z.coerce.number().int().min(0).optional(),
    decision: PolicyDecisionKindSchema.optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  })
  .strict();
export const AuditPageSchema = z.object({ entries: z.array(AuditEntrySchema) });
export type AuditPage = z.infer<typeof AuditPageSchema>;

/** Who asks an enforcement point to act, and what it knows of the moment (filled with defaults by the policy service). */
export interface PolicyActor {
  readonly principal: Principal;
  readonly context?: PolicyContext;
}

/** The owner acting through the CLI (unix socket), and the runtime acting on the owner's standing wishes at boot. */
export const OWNER: Principal = { kind: 'Person', id: 'owner' };

// Owns `rayos policy …` and `rayos audit`: the set in force, check/apply/remove a file, explain, test a request, answer questions.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { ClientResult } from '../../client/api.js';
import { rayosError } from '../../contracts/errors.js';
import { EXIT } from '../../contracts/exit-codes.js';
import { POLICY_ACTIONS, PolicyRequestSchema, type PolicyDecision, type PolicyFileResult, type PolicyInfo } from '../../contracts/policy.js';
import { action } from '../action.js';
import { integerArg, sinceArg } from '../arg-parsers.js';
import type { CommandContext } from '../context.js';
import { table } from '../format.js';

/** Reads a file the person named; a missing or unreadable one is a usage error that names it. */
async function readArg(ctx: CommandContext, path: string): Promise<string | number> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    return ctx.fail(rayosError('RAYOS_CLI_USAGE', `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`));
  }
}

const fileName = (path: string): string => basename(path).replace(/\.cedar$/, '');

function policyLines(policies: readonly PolicyInfo[]): string {
  if (policies.length === 0) return '(none)';
  return table([['ID', 'FILE', 'EFFECT', 'REASON'], ...policies.map((p) => [p.id, p.file, p.ask ? `${p.effect} (ask)` : p.effect, p.reason ?? '-'])]).join('\n');
}

async function fileResult(ctx: CommandContext, pending: ClientResult<PolicyFileResult>, verb: string): Promise<number> {
  const result = await pending;
  if (!result.ok) return ctx.fail(result.error);
  ctx.output.out(ctx.json ? JSON.stringify(result.value) : `${result.value.name}.cedar ${verb}: ${result.value.policies} policies in the set.`);
  return EXIT.OK;
}

export function formatDecision(d: PolicyDecision): string {
  return `${d.decision.toUpperCase()}${d.policies.length > 0 ? ` (${d.policies.join(', ')})` : ''}: ${d.reason}`;
}

export function registerPolicyCommand(program: Command): void {
  const policy = program.command('policy').description('the Cedar policy that decides every action RayOS takes');

  policy
    .command('show')
    .description('the policy files in force and their policies')
    .option('--json', 'print {files, loadedAt}')
    .action(
      action(async (ctx) => {
        const shown = await ctx.client().policy.show();
        if (!shown.ok) return ctx.fail(shown.error);
        if (ctx.json) ctx.output.out(JSON.stringify(shown.value));
        else ctx.output.out(`In force since ${shown.value.loadedAt}:\n${policyLines(shown.value.files.flatMap((f) => f.policies))}`);
        return EXIT.OK;
      }),
    );

  const fileCommands: [string, string, 'check' | 'apply', string][] = [
    ['check', 'validate a .cedar file against the RayOS schema and the set in force; changes nothing', 'check', 'is valid'],
    ['apply', 'validate a .cedar file and put it in force as policy/<name>.cedar (an invalid one changes nothing)', 'apply', 'applied'],
  ];
  for (const [verb, description, call, pastTense] of fileCommands) {
    policy
      .command(`${verb} <file>`)
      .description(description)
      .option('--json', 'print the result')
      .action(
        action(async (ctx, _o, [path]) => {
          const text = await readArg(ctx, path!);
          if (typeof text === 'number') return text;
          return fileResult(ctx, ctx.client().policy[call](fileName(path!), text), pastTense);
        }),
      );
  }

  policy
    .command('remove <name>')
    .description('take policy/<name>.cedar out of force (what remains must be valid and keep allowing policy changes)')
    .option('--json', 'print the result')
    .action(action(async (ctx, _o, [name]) => fileResult(ctx, ctx.client().policy.remove(name!), 'removed')));

  policy
    .command('explain <action>')
    .description(`the policies that govern one action (${POLICY_ACTIONS.join(', ')})`)
    .option('--json', 'print {action, policies}')
    .action(
      action(async (ctx, _o, [name]) => {
        const known = (POLICY_ACTIONS as readonly string[]).includes(name!);
        if (!known) return ctx.fail(rayosError('RAYOS_CLI_USAGE', `"${name}" is not a policy action; use one of ${POLICY_ACTIONS.join(', ')}.`));
        const explained = await ctx.client().policy.explain(name as (typeof POLICY_ACTIONS)[number]);
        if (!explained.ok) return ctx.fail(explained.error);
        ctx.output.out(ctx.json ? JSON.stringify(explained.value) : `${explained.value.action}:\n${policyLines(explained.value.policies)}`);
        return EXIT.OK;
      }),
    );

  policy
    .command('test <request>')
    .description('decide a request (a JSON file: {principal, action, resource, context}) against the set in force, without acting')
    .option('--json', 'print the decision')
    .action(
      action(async (ctx, _o, [path]) => {
        const text = await readArg(ctx, path!);
        if (typeof text === 'number') return text;
        let untrustedRequest: unknown;
        try {
          untrustedRequest = JSON.parse(text);
        } catch (error) {
          return ctx.fail(rayosError('RAYOS_POLICY_BAD_REQUEST', `${path} is not JSON: ${(error as Error).message}.`));
        }
        const request = PolicyRequestSchema.safeParse(untrustedRequest);
        if (!request.success) {
          const problems = request.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
          return ctx.fail(rayosError('RAYOS_POLICY_BAD_REQUEST', `${path} is not a policy request (${problems}). See "rayos policy test --help".`));
        }
        const decided = await ctx.client().policy.test(request.data);
        if (!decided.ok) return ctx.fail(decided.error);
        ctx.output.out(ctx.json ? JSON.stringify(decided.value) : formatDecision(decided.value));
        return EXIT.OK;
      }),
    );

  policy
    .command('questions')
    .description('policy questions waiting for an answer')
    .option('--json', 'print {questions}')
    .action(
      action(async (ctx) => {
        const listed = await ctx.client().policy.questions();
        if (!listed.ok) return ctx.fail(listed.error);
        if (ctx.json) ctx.output.out(JSON.stringify(listed.value));
        else if (listed.value.questions.length === 0) ctx.output.out('No open questions.');
        else ctx.output.out(table([['ID', 'WHO', 'ACTION', 'ON', 'EXPIRES', 'WHY'], ...listed.value.questions.map((q) => [q.id, q.principal, q.action, q.resource, q.expiresAt, q.reason])]).join('\n'));
        return EXIT.OK;
      }),
    );

  policy
    .command('answer <id> <answer>')
    .description('answer a policy question: yes (allow) or no (deny)')
    .option('--json', 'print the question answered')
    .action(
      action(async (ctx, _o, [id, untrustedAnswer]) => {
        const answer = untrustedAnswer === 'yes' || untrustedAnswer === 'allow' ? 'allow' : untrustedAnswer === 'no' || untrustedAnswer === 'deny' ? 'deny' : null;
        if (answer === null) return ctx.fail(rayosError('RAYOS_CLI_USAGE', `"${untrustedAnswer}" is not an answer: use yes or no.`));
        const answered = await ctx.client().policy.answer(id!, answer);
        if (!answered.ok) return ctx.fail(answered.error);
        ctx.output.out(ctx.json ? JSON.stringify(answered.value) : `${answered.value.id}: ${answer === 'allow' ? 'allowed' : 'denied'} ${answered.value.action} on ${answered.value.resource}.`);
        return EXIT.OK;
      }),
    );

  program
    .command('audit')
    .description('the audit trail: every policy decision (who, what, on what, decision, policies, reason)')
    .option('--since <when>', 'decisions at or after a duration ago (30s, 10m, 2h, 1d) or an ISO time', sinceArg)
    .option('--decision <kind>', 'only allow, deny or ask')
    .option('--limit <n>', 'at most this many (the newest)', integerArg(1, 10_000), 1000)
    .option('--json', 'print one JSON entry per line')
    .action(
      action<{ since?: number; decision?: string; limit: number }>(async (ctx, options) => {
        const { decision } = options;
        if (decision !== undefined && decision !== 'allow' && decision !== 'deny' && decision !== 'ask') {
          return ctx.fail(rayosError('RAYOS_CLI_USAGE', `--decision takes allow, deny or ask, not "${decision}".`));
        }
        const page = await ctx.client().audit({ sinceMs: options.since, decision, limit: options.limit });
        if (!page.ok) return ctx.fail(page.error);
        if (ctx.json) for (const entry of page.value.entries) ctx.output.out(JSON.stringify(entry));
        else if (page.value.entries.length === 0) ctx.output.out('No decisions match.');
        else ctx.output.out(table([['AT', 'WHO', 'ACTION', 'ON', 'DECISION', 'POLICIES', 'REASON'], ...page.value.entries.map((e) => [e.at, e.principal, e.action, e.resource, e.decision, e.policies.join(',') || '-', e.reason])]).join('\n'));
        return EXIT.OK;
      }),
    );
}

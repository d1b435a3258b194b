// Owns `rayos show <vm> desktop`, `rayos hide <vm>`, `rayos surface list|focus|move` and `rayos screenshot <vm> <out.png>`.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ClientResult } from '../../client/api.js';
import { LayoutSchema, type SurfaceView } from '../../contracts/display.js';
import { rayosError } from '../../contracts/errors.js';
import { EXIT } from '../../contracts/exit-codes.js';
import { action } from '../action.js';
import { integerArg } from '../arg-parsers.js';
import type { CommandContext } from '../context.js';
import { table } from '../format.js';

const describe = (s: SurfaceView): string =>
  `${s.vm}: ${s.available ? (s.presented ? 'presented' : 'hidden') : 'unavailable (not running)'}${s.focused ? ', focused' : ''}, ${s.width}x${s.height} at ${s.x},${s.y}, z ${s.z}, display ${s.frameWidth}x${s.frameHeight}`;

async function report(ctx: CommandContext, pending: ClientResult<SurfaceView>): Promise<number> {
  const result = await pending;
  if (!result.ok) return ctx.fail(result.error);
  ctx.output.out(ctx.json ? JSON.stringify(result.value) : describe(result.value));
  return EXIT.OK;
}

export function registerSurfaceCommands(program: Command): void {
  program
    .command('show <vm> <what>')
    .description('present a VM surface: "rayos show linux desktop" (the VM keeps running as it is; only the compositor changes)')
    .option('--layout <layout>', 'floating, fullscreen or side-by-side')
    .option('--json', 'print the SurfaceView')
    .action(
      action<{ layout?: string }>(async (ctx, options, [vm, what]) => {
        if (what !== 'desktop') return ctx.fail(rayosError('RAYOS_CLI_USAGE', `"${what}" is not something RayOS can show; use "rayos show ${vm} desktop".`));
        const layout = options.layout === undefined ? undefined : LayoutSchema.safeParse(options.layout);
        if (layout !== undefined && !layout.success) return ctx.fail(rayosError('RAYOS_CLI_USAGE', `"${options.layout}" is not a layout: use floating, fullscreen or side-by-side.`));
        return report(ctx, ctx.client().surfaces.present(vm!, layout === undefined ? {} : { layout: layout.data }));
      }),
    );

  program
    .command('hide <vm>')
    .description('hide a VM surface (the VM keeps running; input to it is dropped)')
    .option('--json', 'print the SurfaceView')
    .action(action(async (ctx, _o, [vm]) => report(ctx, ctx.client().surfaces.hide(vm!))));

  program
    .command('screenshot <vm> <out>')
    .description('write the VM screen to a PNG file (hidden or presented)')
    .option('--json', 'print {path, bytes}')
    .action(
      action(async (ctx, _o, [vm, out]) => {
        const png = await ctx.client().surfaces.screenshot(vm!);
        if (!png.ok) return ctx.fail(png.error);
        try {
          writeFileSync(out!, png.value);
        } catch (error) {
          return ctx.fail(rayosError('RAYOS_CLI_WRITE_FAILED', `Cannot write ${out}: ${(error as Error).message}; pick a path in a folder you can write to.`));
        }
        ctx.output.out(ctx.json ? JSON.stringify({ path: out, bytes: png.value.length }) : `${out}: ${png.value.length} bytes (PNG).`);
        return EXIT.OK;
      }),
    );

  const surface = program.command('surface').description('the compositor: every VM surface, focus and geometry');
  surface
    .command('list')
    .description('every surface with its state, geometry and z-order')
    .option('--json', 'print the SurfaceList')
    .action(
      action(async (ctx) => {
        const list = await ctx.client().surfaces.list();
        if (!list.ok) return ctx.fail(list.error);
        if (ctx.json) {
          ctx.output.out(JSON.stringify(list.value));
          return EXIT.OK;
        }
        const { layout, screen, focused, surfaces } = list.value;
        ctx.output.out(`layout ${layout}, screen ${screen.width}x${screen.height}, focus ${focused ?? 'none'}`);
        if (surfaces.length === 0) ctx.output.out('No surfaces: a VM gets one when it runs.');
        else {
          const rows = surfaces.map((s) => [s.vm, s.available ? (s.presented ? 'presented' : 'hidden') : 'unavailable', s.focused ? 'yes' : '-', `${s.width}x${s.height}+${s.x}+${s.y}`, String(s.z), `${s.frameWidth}x${s.frameHeight}`]);
          ctx.output.out(table([['VM', 'STATE', 'FOCUS', 'GEOMETRY', 'Z', 'DISPLAY'], ...rows]).join('\n'));
        }
        return EXIT.OK;
      }),
    );
  surface
    .command('focus <vm>')
    .description('give a presented surface the input focus and raise it')
    .option('--json', 'print the SurfaceView')
    .action(action(async (ctx, _o, [vm]) => report(ctx, ctx.client().surfaces.focus(vm!))));
  surface
    .command('move <vm>')
    .description('place a surface (switches the compositor to the floating layout)')
    .requiredOption('--x <px>', 'left edge', integerArg(0, 16_384))
    .requiredOption('--y <px>', 'top edge', integerArg(0, 16_384))
    .option('--width <px>', 'width', integerArg(1, 16_384))
    .option('--height <px>', 'height', integerArg(1, 16_384))
    .option('--json', 'print the SurfaceView')
    .action(
      action<{ x: number; y: number; width?: number; height?: number }>(async (ctx, o, [vm]) =>
        report(ctx, ctx.client().surfaces.move(vm!, { x: o.x, y: o.y, ...(o.width === undefined ? {} : { width: o.width }), ...(o.height === undefined ? {} : { height: o.height }) })),
      ),
    );
}

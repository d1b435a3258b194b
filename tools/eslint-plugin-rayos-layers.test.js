// Tests for the RayOS dependency-rule lint (tools/eslint-plugin-rayos-layers.js).
// Run: node --test tools/eslint-plugin-rayos-layers.test.js

import { describe, it } from 'node:test';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import plugin from './eslint-plugin-rayos-layers.js';

RuleTester.describe = describe;
RuleTester.it = it;

const rule = plugin.rules.imports;
const tester = new RuleTester({
  languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
});

const ROOT = '/work/main/src';
const DOWNWARD = 'imports point downward: base ← contracts ← kernel ← services ← api ← daemon';

/** A valid case: `file` (relative to src/) importing `spec`. */
function ok(file, spec, code = `import x from '${spec}';`) {
  return { name: `${file} → ${spec}`, filename: `${ROOT}/${file}`, code };
}

/** An invalid case: `file` importing `spec` fails with `message`. */
function bad(file, spec, message, code = `import x from '${spec}';`) {
  return { name: `${file} ✗ ${spec}`, filename: `${ROOT}/${file}`, code, errors: [{ message }] };
}

function layerMsg(from, to, why = DOWNWARD) {
  return `${from} may not import ${to} (${why})`;
}

const PLATFORM_WHY = 'platform sits beside kernel; only services, daemon and image use it';
const OUTSIDE_WHY = 'client, cli, web and image sit outside the runtime; the runtime never imports them';
const LEAF_WHY = 'client, cli and web see only base, contracts and client';

describe('rayos-layers/imports', () => {
  tester.run('base', rule, {
    valid: [ok('base/a.ts', './b.js'), ok('base/sub/a.ts', '../b.js')],
    invalid: [
      bad('base/a.ts', '../contracts/x.js', layerMsg('base', 'contracts')),
      bad('base/a.ts', '../kernel/x.js', layerMsg('base', 'kernel')),
      bad('base/a.ts', 'node:fs', 'base may not import the Node.js builtin node:fs (base must stay browser-safe)'),
      bad('base/a.ts', 'node:test', 'base may not import the Node.js builtin node:test (base must stay browser-safe)'),
      bad('base/a.ts', 'path', 'base may not import the Node.js builtin path (base must stay browser-safe)'),
      bad('base/a.ts', 'zod', 'base may not import the npm package zod (base is pure helpers with no dependencies)'),
    ],
  });

  tester.run('contracts', rule, {
    valid: [
      ok('contracts/a.ts', '../base/result.js'),
      ok('contracts/a.ts', './events.js'),
      ok('contracts/a.ts', 'zod'),
      ok('contracts/a.ts', 'zod/v4'),
      // colocated unit tests run under node:test, so they may use Node builtins and packages
      ok('contracts/a.test.ts', 'node:test'),
      ok('contracts/a.test.ts', 'node:assert/strict'),
      ok('base/a.test.ts', 'node:fs'),
      ok('web/a.test.ts', 'node:fs'),
    ],
    invalid: [
      bad('contracts/a.ts', '../kernel/x.js', layerMsg('contracts', 'kernel')),
      bad('contracts/a.ts', '../services/storage/api.js', layerMsg('contracts', 'services/storage')),
      // ...but their relative imports follow the layer rule
      bad('contracts/a.test.ts', '../kernel/x.js', layerMsg('contracts', 'kernel')),
      bad(
        'contracts/a.ts',
        'node:path',
        'contracts may not import the Node.js builtin node:path (contracts must stay browser-safe)',
      ),
      bad(
        'contracts/a.ts',
        'fastify',
        'contracts may not import the npm package fastify (contracts may use zod only, and must stay browser-safe)',
      ),
      // type-only imports count too: the layer must typecheck in the browser build
      bad(
        'contracts/a.ts',
        'node:fs',
        'contracts may not import the Node.js builtin node:fs (contracts must stay browser-safe)',
        `import type { Stats } from 'node:fs';`,
      ),
    ],
  });

  tester.run('kernel', rule, {
    valid: [
      ok('kernel/a.ts', '../base/x.js'),
      ok('kernel/a.ts', '../contracts/x.js'),
      ok('kernel/a.ts', './event-bus.js'),
      ok('kernel/a.ts', 'node:events'),
      ok('kernel/a.ts', 'smol-toml'),
    ],
    invalid: [
      bad('kernel/a.ts', '../services/storage/api.js', layerMsg('kernel', 'services/storage')),
      bad('kernel/a.ts', '../platform/fs/atomic-write.js', layerMsg('kernel', 'platform', PLATFORM_WHY)),
      bad('kernel/a.ts', '../api/api.js', layerMsg('kernel', 'api')),
      bad('kernel/a.ts', '../daemon/main.js', layerMsg('kernel', 'daemon')),
      bad('kernel/a.ts', '../client/x.js', layerMsg('kernel', 'client', OUTSIDE_WHY)),
    ],
  });

  tester.run('platform', rule, {
    valid: [
      ok('platform/sqlite/db.ts', '../../base/x.js'),
      ok('platform/sqlite/db.ts', '../../contracts/x.js'),
      ok('platform/sqlite/db.ts', '../fs/atomic-write.js'),
      ok('platform/sqlite/db.ts', 'better-sqlite3'),
    ],
    invalid: [
      bad(
        'platform/a.ts',
        '../kernel/x.js',
        layerMsg('platform', 'kernel', 'platform sits beside kernel and sees only base and contracts'),
      ),
      bad(
        'platform/a.ts',
        '../services/vm/api.js',
        layerMsg('platform', 'services/vm', 'platform sits beside kernel and sees only base and contracts'),
      ),
    ],
  });

  tester.run('services', rule, {
    valid: [
      ok('services/vm/supervisor.ts', '../../base/x.js'),
      ok('services/vm/supervisor.ts', '../../contracts/x.js'),
      ok('services/vm/supervisor.ts', '../../kernel/service.js'),
      ok('services/vm/supervisor.ts', '../../platform/qmp/client.js'),
      ok('services/vm/supervisor.ts', './state-machine.js'),
      ok('services/vm/deep/inner.ts', '../api.js'),
      ok('services/vm/supervisor.ts', '../storage/api.js'),
      ok('services/vm/supervisor.ts', '../storage/api.js', `export { x } from '../storage/api.js';`),
      ok('services/vm/supervisor.ts', '../storage/api.js', `const m = await import('../storage/api.js');`),
    ],
    invalid: [
      bad(
        'services/vm/supervisor.ts',
        '../storage/journal.js',
        'services/vm may not import src/services/storage/journal.js: another service is reached only through its api.ts — import services/storage/api.js instead',
      ),
      bad(
        'services/vm/supervisor.ts',
        '../storage/sub/api.js',
        'services/vm may not import src/services/storage/sub/api.js: another service is reached only through its api.ts — import services/storage/api.js instead',
      ),
      bad('services/vm/supervisor.ts', '../../api/api.js', layerMsg('services/vm', 'api')),
      bad('services/vm/supervisor.ts', '../../daemon/main.js', layerMsg('services/vm', 'daemon')),
      bad('services/vm/supervisor.ts', '../../cli/main.js', layerMsg('services/vm', 'cli', OUTSIDE_WHY)),
    ],
  });

  tester.run('api', rule, {
    valid: [
      ok('api/http-server.ts', '../base/x.js'),
      ok('api/http-server.ts', '../contracts/x.js'),
      ok('api/http-server.ts', '../kernel/x.js'),
      ok('api/http-server.ts', '../services/storage/api.js'),
      ok('api/http-server.ts', './error-reply.js'),
      ok('api/http-server.ts', 'fastify'),
    ],
    invalid: [
      bad('api/http-server.ts', '../platform/fs/x.js', layerMsg('api', 'platform', PLATFORM_WHY)),
      bad(
        'api/http-server.ts',
        '../services/storage/storage-service.js',
        'api may not import src/services/storage/storage-service.js: another service is reached only through its api.ts — import services/storage/api.js instead',
      ),
      bad('api/http-server.ts', '../daemon/main.js', layerMsg('api', 'daemon')),
    ],
  });

  tester.run('daemon', rule, {
    valid: [
      ok('daemon/main.ts', '../base/x.js'),
      ok('daemon/main.ts', '../contracts/x.js'),
      ok('daemon/main.ts', '../kernel/x.js'),
      ok('daemon/main.ts', '../platform/x/y.js'),
      ok('daemon/main.ts', '../services/vm/api.js'),
      ok('daemon/main.ts', '../api/api.js'),
      ok('daemon/main.ts', './compose-runtime.js'),
    ],
    invalid: [
      bad(
        'daemon/main.ts',
        '../services/vm/supervisor.js',
        'daemon may not import src/services/vm/supervisor.js: another service is reached only through its api.ts — import services/vm/api.js instead',
      ),
      bad('daemon/main.ts', '../client/x.js', layerMsg('daemon', 'client', OUTSIDE_WHY)),
      bad('daemon/main.ts', '../image/x.js', layerMsg('daemon', 'image', OUTSIDE_WHY)),
    ],
  });

  tester.run('client', rule, {
    valid: [
      ok('client/sdk.ts', '../base/x.js'),
      ok('client/sdk.ts', '../contracts/x.js'),
      ok('client/sdk.ts', './x.js'),
      ok('client/sdk.ts', 'node:http'),
    ],
    invalid: [
      bad('client/sdk.ts', '../kernel/x.js', layerMsg('client', 'kernel', LEAF_WHY)),
      bad('client/sdk.ts', '../api/api.js', layerMsg('client', 'api', LEAF_WHY)),
      bad('client/sdk.ts', '../cli/main.js', layerMsg('client', 'cli', LEAF_WHY)),
    ],
  });

  tester.run('cli', rule, {
    valid: [
      ok('cli/main.ts', '../base/x.js'),
      ok('cli/main.ts', '../contracts/x.js'),
      ok('cli/main.ts', '../client/sdk.js'),
      ok('cli/main.ts', './commands/status.js'),
      ok('cli/main.ts', 'commander'),
    ],
    invalid: [
      bad('cli/main.ts', '../daemon/main.js', layerMsg('cli', 'daemon', `${LEAF_WHY} (and cli itself)`)),
      bad('cli/main.ts', '../services/vm/api.js', layerMsg('cli', 'services/vm', `${LEAF_WHY} (and cli itself)`)),
      bad('cli/main.ts', '../platform/x.js', layerMsg('cli', 'platform', `${LEAF_WHY} (and cli itself)`)),
    ],
  });

  tester.run('web', rule, {
    valid: [
      ok('web/app.ts', '../base/x.js'),
      ok('web/app.ts', '../contracts/x.js'),
      ok('web/app.ts', '../client/sdk.js'),
      ok('web/app.ts', './view.js'),
      ok('web/app.ts', '@novnc/novnc/lib/rfb.js'),
    ],
    invalid: [
      bad('web/app.ts', '../kernel/x.js', layerMsg('web', 'kernel', `${LEAF_WHY} (and web itself)`)),
      bad('web/app.ts', '../cli/main.js', layerMsg('web', 'cli', `${LEAF_WHY} (and web itself)`)),
      bad('web/app.ts', 'node:fs', 'web may not import the Node.js builtin node:fs (web runs in the browser)'),
    ],
  });

  tester.run('image', rule, {
    valid: [
      ok('image/builder.ts', '../base/x.js'),
      ok('image/builder.ts', '../contracts/x.js'),
      ok('image/builder.ts', '../platform/qemu/x.js'),
      ok('image/builder.ts', './installer.js'),
    ],
    invalid: [
      bad('image/builder.ts', '../kernel/x.js', layerMsg('image', 'kernel', 'image sees only base, contracts and platform')),
      bad(
        'image/builder.ts',
        '../services/vm/api.js',
        layerMsg('image', 'services/vm', 'image sees only base, contracts and platform'),
      ),
    ],
  });

  tester.run('import forms', rule, {
    valid: [
      // files outside src/ are not checked
      { filename: '/work/main/test/integration/x.test.ts', code: `import x from '../../src/daemon/main.js';` },
      { filename: '/work/main/bench/x.bench.ts', code: `import x from '../src/services/vm/supervisor.js';` },
      { filename: '/work/main/tools/x.js', code: `import fs from 'node:fs';` },
      // non-literal dynamic imports cannot be checked
      { filename: `${ROOT}/kernel/a.ts`, code: 'const m = await import(name);' },
      // the layer comes from the segment after the LAST /src/
      { filename: '/home/me/src/rayos/src/kernel/a.ts', code: `import x from '../contracts/x.js';` },
    ],
    invalid: [
      {
        name: 'export * from',
        filename: `${ROOT}/kernel/a.ts`,
        code: `export * from '../services/vm/api.js';`,
        errors: [{ message: layerMsg('kernel', 'services/vm') }],
      },
      {
        name: 'export { } from',
        filename: `${ROOT}/kernel/a.ts`,
        code: `export { y } from '../api/api.js';`,
        errors: [{ message: layerMsg('kernel', 'api') }],
      },
      {
        name: 'import type',
        filename: `${ROOT}/kernel/a.ts`,
        code: `import type { Y } from '../daemon/main.js';`,
        errors: [{ message: layerMsg('kernel', 'daemon') }],
      },
      {
        name: 'dynamic import',
        filename: `${ROOT}/kernel/a.ts`,
        code: `const m = await import('../daemon/main.js');`,
        errors: [{ message: layerMsg('kernel', 'daemon') }],
      },
      {
        name: 'dynamic import with a plain template literal',
        filename: `${ROOT}/kernel/a.ts`,
        code: 'const m = await import(`../daemon/main.js`);',
        errors: [{ message: layerMsg('kernel', 'daemon') }],
      },
      {
        name: 'import() type',
        filename: `${ROOT}/kernel/a.ts`,
        code: `type T = import('../daemon/main.js').Runtime;`,
        errors: [{ message: layerMsg('kernel', 'daemon') }],
      },
      {
        name: 'side-effect import',
        filename: `${ROOT}/kernel/a.ts`,
        code: `import '../daemon/main.js';`,
        errors: [{ message: layerMsg('kernel', 'daemon') }],
      },
      {
        name: 'import outside src/',
        filename: `${ROOT}/kernel/a.ts`,
        code: `import x from '../../test/support/raw-http.js';`,
        errors: [{ message: 'kernel may not import ../../test/support/raw-http.js: code under src/ imports only from src/' }],
      },
      {
        name: 'import of a folder that is no layer',
        filename: `${ROOT}/kernel/a.ts`,
        code: `import x from '../utils/x.js';`,
        errors: [{ message: /^src\/utils\/x\.js is in no RayOS layer/ }],
      },
      {
        name: 'file in no layer',
        filename: `${ROOT}/index.ts`,
        code: `export const x = 1;`,
        errors: [{ message: /^src\/index\.ts is in no RayOS layer/ }],
      },
      {
        name: 'file directly in services/',
        filename: `${ROOT}/services/shared.ts`,
        code: `export const x = 1;`,
        errors: [{ message: /^src\/services\/shared\.ts is in no RayOS layer/ }],
      },
      {
        name: 'several imports, two bad',
        filename: `${ROOT}/contracts/a.ts`,
        code: `import { z } from 'zod';\nimport fs from 'node:fs';\nimport { k } from '../kernel/k.js';`,
        errors: [
          { message: 'contracts may not import the Node.js builtin node:fs (contracts must stay browser-safe)', line: 2 },
          { message: layerMsg('contracts', 'kernel'), line: 3 },
        ],
      },
    ],
  });
});

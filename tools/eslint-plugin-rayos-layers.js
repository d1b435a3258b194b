// ESLint plugin that enforces the RayOS dependency rule (shared/DESIGN.md, "Dependency rule").
//
//   base ← contracts ← kernel ← services ← api ← daemon
//   platform sits beside kernel and is used by services, daemon and image;
//   a service imports another only through its api.ts;
//   client, cli and web see base, contracts and client only.
//
// Rule `rayos-layers/imports` checks every static import, `export … from`, dynamic `import('…')`
// and `import('…')` type with a string literal, in files under src/. The layer of a file is the
// path segment after the last `/src/` (for services: `services/<name>`). Files outside src/ are
// not checked. Test files (`*.test.ts`) under src/ follow the layer rule for relative imports, but
// may use Node builtins and npm packages (they run under node:test, never in a browser).

import { builtinModules } from 'node:module';
import path from 'node:path';

/** Layers a layer may import (services are handled separately). */
const ALLOWED = {
  base: ['base'],
  contracts: ['base', 'contracts'],
  kernel: ['base', 'contracts', 'kernel'],
  platform: ['base', 'contracts', 'platform'],
  // 'services/*' means: another service, through its api.ts only.
  service: ['base', 'contracts', 'kernel', 'platform', 'services/*'],
  api: ['base', 'contracts', 'kernel', 'services/*', 'api'],
  daemon: ['base', 'contracts', 'kernel', 'platform', 'services/*', 'api', 'daemon'],
  client: ['base', 'contracts', 'client'],
  cli: ['base', 'contracts', 'client', 'cli'],
  web: ['base', 'contracts', 'client', 'web'],
  image: ['base', 'contracts', 'platform', 'image'],
};

const LAYER_NAMES = Object.keys(ALLOWED)
  .filter((name) => name !== 'service')
  .concat('services/<name>');

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

const DOWNWARD = 'imports point downward: base ← contracts ← kernel ← services ← api ← daemon';

/**
 * Layer of a path relative to src/ (POSIX separators), or null when it is in no layer.
 * @param {string} rel e.g. 'services/storage/api.ts'
 * @returns {{ layer: string, kind: string, rest: string } | null}
 */
function layerOf(rel) {
  const parts = rel.split('/');
  const top = parts[0];
  if (top === 'services') {
    // services/<name>/<file…>: a file directly in services/ belongs to no service.
    if (parts.length < 3 || !parts[1]) return null;
    return { layer: `services/${parts[1]}`, kind: 'service', rest: parts.slice(2).join('/') };
  }
  if (parts.length < 2 || !Object.hasOwn(ALLOWED, top) || top === 'service') return null;
  return { layer: top, kind: top, rest: parts.slice(1).join('/') };
}

/** Path of the file relative to the last `/src/` segment, or null when not under src/. */
function srcRelative(filename) {
  const posix = filename.split(path.sep).join('/').replace(/\\/g, '/');
  const at = posix.lastIndexOf('/src/');
  if (at !== -1) return { root: posix.slice(0, at + 5), rel: posix.slice(at + 5) };
  if (posix.startsWith('src/')) return { root: 'src/', rel: posix.slice(4) };
  return null;
}

/** True when `rest` (path inside services/<name>/) is that service's api module. */
function isServiceApi(rest) {
  return /^api(\.(js|ts|mjs|mts))?$/.test(rest);
}

/** The npm package name of a bare specifier: 'zod/v4' → 'zod', '@a/b/c' → '@a/b'. */
function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Why `from` may not import `to` (the part in parentheses). */
function reason(from, to) {
  const leaves = ['client', 'cli', 'web'];
  if (leaves.includes(from.kind)) {
    return `client, cli and web see only base, contracts and client${from.kind === 'client' ? '' : ` (and ${from.kind} itself)`}`;
  }
  if (from.kind === 'image') return 'image sees only base, contracts and platform';
  if (from.kind === 'platform') return 'platform sits beside kernel and sees only base and contracts';
  if (to.kind === 'platform') return 'platform sits beside kernel; only services, daemon and image use it';
  if ([...leaves, 'image'].includes(to.kind)) {
    return 'client, cli, web and image sit outside the runtime; the runtime never imports them';
  }
  return DOWNWARD;
}

/** @type {import('eslint').Rule.RuleModule} */
const importsRule = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Enforce the RayOS layer dependency rule (imports point downward only)',
    },
    schema: [],
    messages: {
      layer: '{{from}} may not import {{to}} ({{why}})',
      serviceApi:
        '{{from}} may not import {{target}}: another service is reached only through its api.ts — import {{to}}/api.js instead',
      outsideSrc: '{{from}} may not import {{target}}: code under src/ imports only from src/',
      noLayer:
        '{{target}} is in no RayOS layer (layers: {{layers}}); put it in a layer or add the layer to tools/eslint-plugin-rayos-layers.js',
      unknownFile:
        'src/{{file}} is in no RayOS layer (layers: {{layers}}); move it into a layer folder',
      builtin: '{{from}} may not import the Node.js builtin {{spec}} ({{why}})',
      npmPackage: '{{from}} may not import the npm package {{spec}} ({{why}})',
    },
  },
  create(context) {
    const filename = context.filename ?? context.getFilename();
    const located = srcRelative(filename);
    if (!located) return {};
    const from = layerOf(located.rel);
    if (!from) {
      return {
        Program(node) {
          context.report({
            node,
            messageId: 'unknownFile',
            data: { file: located.rel, layers: LAYER_NAMES.join(', ') },
          });
        },
      };
    }
    const allowed = ALLOWED[from.kind];
    const isTestFile = /\.test\.[cm]?[jt]sx?$/.test(located.rel);
    const fileDir = path.posix.dirname(`/${located.rel}`);

    /** @param {import('estree').Node} node @param {string} spec */
    function check(node, spec) {
      if (spec.startsWith('.') || spec.startsWith('/')) {
        checkRelative(node, spec);
      } else {
        checkPackage(node, spec);
      }
    }

    function checkRelative(node, spec) {
      // Resolve inside a virtual root where '/' is src/.
      let target;
      if (spec.startsWith('/')) {
        const abs = srcRelative(spec);
        target = abs ? `/${abs.rel}` : null;
      } else {
        const resolved = path.posix.resolve(fileDir, spec);
        // path.posix.resolve clamps at '/', so count how far '..' climbs to detect escapes.
        const climbs = path.posix.normalize(path.posix.join(fileDir.slice(1) || '.', spec));
        target = climbs === '..' || climbs.startsWith('../') ? null : resolved;
      }
      if (target === null) {
        context.report({ node, messageId: 'outsideSrc', data: { from: from.layer, target: spec } });
        return;
      }
      const rel = target.slice(1);
      const to = layerOf(rel);
      if (!to) {
        context.report({
          node,
          messageId: 'noLayer',
          data: { target: `src/${rel}`, layers: LAYER_NAMES.join(', ') },
        });
        return;
      }
      if (to.layer === from.layer) return; // a layer (or a service) sees itself
      if (to.kind === 'service') {
        if (!allowed.includes('services/*')) {
          context.report({
            node,
            messageId: 'layer',
            data: { from: from.layer, to: to.layer, why: reason(from, to) },
          });
        } else if (!isServiceApi(to.rest)) {
          context.report({
            node,
            messageId: 'serviceApi',
            data: { from: from.layer, to: to.layer, target: `src/${rel}` },
          });
        }
        return;
      }
      if (!allowed.includes(to.kind)) {
        context.report({
          node,
          messageId: 'layer',
          data: { from: from.layer, to: to.layer, why: reason(from, to) },
        });
      }
    }

    function checkPackage(node, spec) {
      // Tests run under Node (node:test), never in the browser: only their relative imports are checked.
      if (isTestFile) return;
      const browserSafe = from.kind === 'base' || from.kind === 'contracts';
      if (spec.startsWith('node:') || BUILTINS.has(packageName(spec))) {
        if (browserSafe) {
          context.report({
            node,
            messageId: 'builtin',
            data: { from: from.layer, spec, why: `${from.layer} must stay browser-safe` },
          });
        } else if (from.kind === 'web') {
          context.report({
            node,
            messageId: 'builtin',
            data: { from: from.layer, spec, why: 'web runs in the browser' },
          });
        }
        return;
      }
      if (from.kind === 'base') {
        context.report({
          node,
          messageId: 'npmPackage',
          data: { from: from.layer, spec, why: 'base is pure helpers with no dependencies' },
        });
      } else if (from.kind === 'contracts' && packageName(spec) !== 'zod') {
        context.report({
          node,
          messageId: 'npmPackage',
          data: { from: from.layer, spec, why: 'contracts may use zod only, and must stay browser-safe' },
        });
      }
    }

    /** The string value of a literal source node, or null. */
    function literal(source) {
      if (!source) return null;
      if (source.type === 'Literal' && typeof source.value === 'string') return source.value;
      if (source.type === 'TemplateLiteral' && source.expressions.length === 0) {
        return source.quasis[0]?.value.cooked ?? null;
      }
      if (source.type === 'TSLiteralType') return literal(source.literal);
      return null;
    }

    function visit(node, source) {
      const spec = literal(source);
      if (spec !== null) check(source, spec);
    }

    return {
      ImportDeclaration: (node) => visit(node, node.source),
      ExportNamedDeclaration: (node) => visit(node, node.source),
      ExportAllDeclaration: (node) => visit(node, node.source),
      ImportExpression: (node) => visit(node, node.source),
      TSImportType: (node) => visit(node, node.source ?? node.argument),
      TSExternalModuleReference: (node) => visit(node, node.expression),
    };
  },
};

const plugin = {
  meta: { name: 'eslint-plugin-rayos-layers', version: '1.0.0' },
  rules: { imports: importsRule },
};

export default plugin;

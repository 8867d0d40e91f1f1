/**
 * How a function's code is resolved and loaded inside an execution environment, so handlers
 * written for SAM or serverless run unchanged. Registered by `worker-child.ts` in its own thread
 * only (`module.registerHooks` is per thread): the gateway's own modules load by Node's rules.
 *
 * - **CommonJS or ES module as AWS decides**: AWS unpacks a function into `/var/task` with
 *   nothing above it, so only a package.json inside the functions folder can say `"type"`. Node,
 *   left alone, would find this project's package.json (`"type": "module"`) above a functions
 *   folder inside the repo and read every `.js` handler as an ES module. The load hook decides
 *   the format from the nearest package.json between the file and the functions folder; without
 *   a `"type"`, a file is CommonJS unless its syntax is an ES module's — what Node 22+ (and so
 *   AWS's nodejs22.x / nodejs24.x `require`) does for a package without `"type"`.
 * - **Full TypeScript**: enums, namespaces and parameter properties, which Node's default
 *   strip-only mode rejects, are compiled with `module.stripTypeScriptTypes` in transform mode
 *   (Node's `--experimental-transform-types` would transform every file, moving the lines the
 *   task root's stack traces report, and cannot be given to a worker with the gateway's flags).
 * - **Extensionless and directory imports** (`./helper`, `./lib`), which bundlers accept and
 *   Node's ES module resolver does not: tried with each extension, then as `<dir>/index.*`.
 * - **The AWS SDK v3 the runtime ships**: `@aws-sdk/*` and `@smithy/*` not found from the
 *   function's folder resolve from the gateway's own node_modules, as AWS's runtime provides them.
 *
 * Hand-written: the loaders that do part of this (tsx, ts-node, esbuild-register) register
 * process-wide, read package.json by Node's rules (the leak above) and know nothing of
 * Lambda's SDK fallback; what is needed here is a few dozen lines over Node's own hooks.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import Module, { createRequire, registerHooks, stripTypeScriptTypes } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

/** Tried in order for `./helper` and `./lib/index`; TypeScript first, as for handler modules. */
const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'] as const;
/** Packages AWS's Node.js runtimes ship, available to every function without installing them. */
const RUNTIME_PACKAGES = /^@(aws-sdk|smithy)\//;
const gatewayRequire = createRequire(import.meta.url);
/** Extensions the CommonJS loader's `.js` handler compiles that may be CommonJS by AWS's rules. */
const COMMONJS_CANDIDATES = new Set(['.js', '.ts', '.cts']);
const NOT_FOUND = new Set(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND', 'ERR_UNSUPPORTED_DIR_IMPORT']);
type Format = 'module' | 'commonjs';
/** Node's CommonJS loader's per-extension compile step (`Module._extensions`), undocumented. */
type CompileHandler = (module: { _compile(source: string, filename: string, format: string): void }, filename: string) => void;

export function registerHandlerModuleHooks(functionsFolder: string): void {
  const roots = [...new Set([path.resolve(functionsFolder), realpathOrSelf(functionsFolder)])];
  const inside = (file: string): boolean => roots.some((root) => file === root || file.startsWith(root + path.sep));
  const rootOf = (file: string): string | undefined => roots.find((root) => file.startsWith(root + path.sep));
  const declaredTypes = new Map<string, Format | undefined>();

  /** The `"type"` of the nearest package.json from `dir` up to the functions folder, inclusive. */
  function declaredType(dir: string, root: string): Format | undefined {
    const cached = declaredTypes.get(dir);
    if (cached !== undefined || declaredTypes.has(dir)) return cached;
    let type: Format | undefined;
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const declared = (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
      type = declared === 'module' ? 'module' : declared === 'commonjs' ? 'commonjs' : undefined;
    } else if (dir !== root) {
      type = declaredType(path.dirname(dir), root);
    }
    declaredTypes.set(dir, type);
    return type;
  }

  function formatOf(file: string, source: string): Format {
    const extension = path.extname(file);
    if (extension === '.mjs' || extension === '.mts') return 'module';
    if (extension === '.cjs' || extension === '.cts') return 'commonjs';
    const root = rootOf(file);
    const declared = root === undefined ? undefined : declaredType(path.dirname(file), root);
    if (declared !== undefined) return declared;
    return hasModuleSyntax(extension === '.ts' ? lenientJavaScriptOf(source) : source) ? 'module' : 'commonjs';
  }

  // A CommonJS `.js` (or `.ts`) reached through `import` or `require` is compiled by the CommonJS
  // loader's `.js` handler, which reads the nearest package.json itself (past the functions
  // folder) and ignores the format the load hook returned. For the function's own files the
  // format decided here is the one compiled; everything else keeps Node's handler.
  const extensions = (Module as unknown as { _extensions: Record<string, CompileHandler> })._extensions;
  const compileJs = extensions['.js'];
  if (compileJs === undefined) throw new Error("Node's CommonJS loader has no .js handler to wrap");
  extensions['.js'] = function (this: unknown, module, filename) {
    const extension = path.extname(filename);
    if (inside(filename) && !filename.includes(`${path.sep}node_modules${path.sep}`) && COMMONJS_CANDIDATES.has(extension)) {
      const source = readFileSync(filename, 'utf8');
      if (formatOf(filename, source) === 'commonjs') {
        module._compile(extension === '.js' ? source : javaScriptOf(source, filename), filename, 'commonjs');
        return;
      }
    }
    compileJs.call(this, module, filename);
  };

  // Source maps are kept only while enabled: task-root-stacks.ts reads them for compiled files.
  process.setSourceMapsEnabled(true);

  // Node notes each use of `stripTypeScriptTypes` as experimental; that is the local Lambda's
  // business, not a line in the function's log.
  const emitWarning = process.emitWarning.bind(process);
  const quieter = (warning: string | Error, ...rest: unknown[]): void => {
    const message = typeof warning === 'string' ? warning : warning.message;
    if (message.startsWith('stripTypeScriptTypes is an experimental feature')) return;
    Reflect.apply(emitWarning, process, [warning, ...rest]);
  };
  process.emitWarning = quieter;

  registerHooks({
    resolve(specifier, context, nextResolve) {
      try {
        return nextResolve(specifier, context);
      } catch (error) {
        const parent = filePathOf(context.parentURL);
        const code = (error as { code?: unknown }).code;
        if (parent === undefined || !inside(parent) || typeof code !== 'string' || !NOT_FOUND.has(code)) throw error;
        if (isPathSpecifier(specifier)) {
          const base = specifier.replace(/\/+$/, '');
          const candidates = [...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => `${base}/index${e}`)];
          for (const candidate of candidates) {
            try {
              return nextResolve(candidate, context);
            } catch {
              // The next candidate; the original error is the one to report if none exists.
            }
          }
        } else if (RUNTIME_PACKAGES.test(specifier)) {
          // `require` resolves from the requiring module's paths, not from `parentURL`.
          if (context.conditions.includes('require')) {
            return { url: pathToFileURL(gatewayRequire.resolve(specifier)).href, shortCircuit: true };
          }
          return nextResolve(specifier, { ...context, parentURL: import.meta.url });
        }
        throw error;
      }
    },
    load(url, context, nextLoad) {
      const file = filePathOf(url);
      // Packages under node_modules carry their own package.json: Node's rules are right there.
      if (file === undefined || !inside(file) || file.includes(`${path.sep}node_modules${path.sep}`)) {
        return nextLoad(url, context);
      }
      const extension = path.extname(file);
      const typeScript = extension === '.ts' || extension === '.mts' || extension === '.cts';
      if (!typeScript && extension !== '.js' && extension !== '.mjs' && extension !== '.cjs') return nextLoad(url, context);
      const source = readFileSync(file, 'utf8');
      const format = formatOf(file, source);
      // A CommonJS module is compiled by the `.js` handler above, which reads the file itself.
      if (format === 'commonjs') return nextLoad(url, { ...context, format });
      return { format, source: typeScript ? javaScriptOf(source, file) : source, shortCircuit: true };
    },
  });
}

/**
 * TypeScript as JavaScript. Type stripping first: it blanks the types out, so every line and
 * column stays where it was and stack traces need no source map. Only a file with enums,
 * namespaces or parameter properties is transformed, with an inline source map for its traces.
 * A syntax error is thrown as Node's SyntaxError, which the worker reports as AWS does.
 */
function javaScriptOf(source: string, file: string): string {
  try {
    return stripTypeScriptTypes(source, { mode: 'strip' });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX') throw error;
    return stripTypeScriptTypes(source, { mode: 'transform', sourceMap: true, sourceUrl: pathToFileURL(file).href });
  }
}

/** TypeScript as JavaScript, to look at its syntax; an invalid file is left for the real load to report. */
function lenientJavaScriptOf(source: string): string {
  try {
    return stripTypeScriptTypes(source, { mode: 'transform' });
  } catch {
    return source;
  }
}

/**
 * Whether code only parses as an ES module: it does not compile as a CommonJS function body, as
 * Node's own detection for packages without `"type"`. A plain syntax error counts too, and the
 * real load then reports it as the SyntaxError it is.
 */
function hasModuleSyntax(source: string): boolean {
  try {
    vm.compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname']);
    return false;
  } catch {
    return true;
  }
}

function isPathSpecifier(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/') || specifier.startsWith('file:');
}

function filePathOf(url: string | undefined): string | undefined {
  if (url?.startsWith('file:') !== true) return undefined;
  try {
    return fileURLToPath(url);
  } catch {
    return undefined;
  }
}

function realpathOrSelf(folder: string): string {
  try {
    return path.resolve(realpathSync(folder));
  } catch {
    return path.resolve(folder);
  }
}

/**
 * Reads a gateway configuration file: JSON, YAML, or a TypeScript/JavaScript module whose default
 * export is the options object (Node 24 runs `.ts` directly). The content is validated with the
 * rest of the configuration by `resolveGatewayConfig`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { GatewayConfigError, type GatewayOptions } from './config.ts';
import { schemaPathsFrom } from './typed-fields/declarations.ts';

export async function loadConfigFile(file: string): Promise<GatewayOptions> {
  const absolute = path.resolve(file);
  const extension = path.extname(absolute).toLowerCase();
  let content: unknown;
  try {
    if (extension === '.json') content = JSON.parse(await readFile(absolute, 'utf8'));
    else if (extension === '.yaml' || extension === '.yml') content = parseYaml(await readFile(absolute, 'utf8'));
    else if (['.ts', '.mts', '.js', '.mjs'].includes(extension))
      content = ((await import(pathToFileURL(absolute).href)) as { default?: unknown }).default;
    else throw new GatewayConfigError(`${absolute}: a configuration file is .json, .yaml, .yml, .ts, .mts, .js or .mjs`);
  } catch (error) {
    if (error instanceof GatewayConfigError) throw error;
    throw new GatewayConfigError(`${absolute}: cannot read the configuration (${(error as Error).message})`);
  }
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    throw new GatewayConfigError(
      `${absolute}: the configuration must be an object${extension.endsWith('ts') || extension.endsWith('js') ? ' (the module’s default export)' : ''}`,
    );
  }
  // Schema files named by typed fields are relative to the file that names them.
  return 'typedFields' in content
    ? { ...content, typedFields: schemaPathsFrom(path.dirname(absolute), content.typedFields) as GatewayOptions['typedFields'] }
    : content;
}

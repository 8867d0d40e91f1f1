/** The committed `schema.graphql`: printed from the Pothos schema, sorted, so diffs are real changes. */
import { printSchema } from 'graphql';
import { resolveGatewayConfig } from '../config.ts';
import type { ResolvedTypedFields } from '../typed-fields/declarations.ts';
import { gatewaySchema } from './index.ts';

export const SCHEMA_FILE = new URL('../../schema.graphql', import.meta.url);

/** What a configuration serves; by default the default configuration's (the demo's typed fields included). */
export function printGatewaySchema(typedFields: ResolvedTypedFields = resolveGatewayConfig().typedFields): string {
  return `${printSchema(gatewaySchema(typedFields))}\n`;
}

/** The committed `schema.graphql`: printed from the Pothos schema, sorted, so diffs are real changes. */
import { printSchema } from 'graphql';
import { schema } from './index.ts';

export const SCHEMA_FILE = new URL('../../schema.graphql', import.meta.url);

export function printGatewaySchema(): string {
  return `${printSchema(schema)}\n`;
}

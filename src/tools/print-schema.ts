/** `npm run print-schema`: regenerates schema.graphql from the Pothos schema. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printGatewaySchema, SCHEMA_FILE } from '../schema/print.ts';

writeFileSync(SCHEMA_FILE, printGatewaySchema());
process.stdout.write(`wrote ${fileURLToPath(SCHEMA_FILE)}\n`);

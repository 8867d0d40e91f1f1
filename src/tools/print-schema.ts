/**
 * `npm run print-schema`: regenerates schema.graphql from the Pothos schema of the default
 * configuration. `npm run print-schema -- --config <file>` prints what that configuration serves
 * (its typed fields) to stdout instead, leaving schema.graphql alone.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GatewayConfigError, resolveGatewayConfig } from '../config.ts';
import { loadConfigFile } from '../config-file.ts';
import { printGatewaySchema, SCHEMA_FILE } from '../schema/print.ts';

const { values } = parseArgs({ options: { config: { type: 'string' } } });
try {
  if (values.config === undefined) {
    writeFileSync(SCHEMA_FILE, printGatewaySchema());
    process.stdout.write(`wrote ${fileURLToPath(SCHEMA_FILE)}\n`);
  } else {
    process.stdout.write(printGatewaySchema(resolveGatewayConfig(await loadConfigFile(values.config)).typedFields));
  }
} catch (error) {
  if (!(error instanceof GatewayConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}

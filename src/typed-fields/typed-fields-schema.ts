/**
 * The typed fields of one configuration as a GraphQL schema of their own, built by a Pothos builder
 * of their own (the gateway's plugins and options: complexity, JSON), for schema/index.ts to merge
 * beside the built-in one. Everything is checked here, at start: a declaration that cannot be
 * served stops the gateway with every problem named (`typedFields.Query.user.result: …`).
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { GraphQLSchema } from 'graphql';
import { createSchemaBuilder } from '../builder.ts';
import { type GatewayConfigError, typedFieldsConfigError } from '../config.ts';
import { type ResolvedTypedField, type ResolvedTypedFields, type SchemaLocation, TypedFieldsError } from './declarations.ts';
import { GRAPHQL_TYPE, inputOptions, JsonSchemaTypes, type MappedType, outputOptions, SchemaProblem } from './json-schema-types.ts';
import { typedFieldResolver } from './typed-field-resolvers.ts';

// ajv-formats is CommonJS: Node hands its module.exports over as the default, the plugin under `.default`.
const addFormats = addFormatsModule.default;

function validatorsFor(documents: ReadonlyMap<string, unknown>, problems: string[]): Ajv2020 {
  // allowUnionTypes: `type: ["object", "null"]` is how a nullable result is written.
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, logger: false });
  addFormats(ajv);
  ajv.addKeyword({ keyword: GRAPHQL_TYPE, schemaType: 'string' });
  for (const [url, document] of documents) {
    if (typeof document !== 'object' || document === null || Array.isArray(document)) continue;
    // Each document's id is where it was read from, so that relative $refs between files resolve
    // as they did when the documents were read; `$schema` is dropped because every document is
    // read as JSON Schema 2020-12 (the mapping table in the README says which keywords count).
    const copy: Record<string, unknown> = { ...document, $id: url };
    delete copy.$schema;
    try {
      ajv.addSchema(copy);
    } catch (error) {
      problems.push(`${url}: is not a valid JSON Schema: ${(error as Error).message}`);
    }
  }
  return ajv;
}

function validatorAt(ajv: Ajv2020, at: SchemaLocation): ValidateFunction {
  const validate = ajv.getSchema(at.pointer === '' ? at.url : `${at.url}#${at.pointer}`);
  if (validate === undefined) throw new SchemaProblem(`#${at.pointer} cannot be compiled for validation`);
  return validate;
}

/**
 * Undefined when there are no typed fields; else their schema, or a GatewayConfigError naming every
 * problem. `reserved`: the built-in schema's type names; `builtInFields`: the fields a built-in
 * type already has — a typed `Query.invocation` would silently replace the gateway's own.
 */
export function buildTypedFieldsSchema(
  typed: ResolvedTypedFields,
  reserved: ReadonlySet<string>,
  builtInFields: (typeName: string) => ReadonlySet<string> = () => new Set(),
): GraphQLSchema | undefined {
  if (typed.fields.length === 0) return undefined;
  const problems: string[] = [];
  const builder = createSchemaBuilder();
  const ajv = validatorsFor(typed.documents, problems);
  const types = new JsonSchemaTypes(builder, typed.documents, reserved);
  const declared = new Set<string>();

  const define = (field: ResolvedTypedField): void => {
    const key = `typedFields.${field.origin}`;
    if (builtInFields(field.typeName).has(field.fieldName)) {
      problems.push(`${key}: the gateway's schema already has ${field.typeName}.${field.fieldName}; choose another field name`);
      return;
    }
    let output: MappedType;
    let args: ReturnType<JsonSchemaTypes['arguments']>;
    let validate: ValidateFunction;
    try {
      output = types.output(field);
      validate = validatorAt(ajv, field.result);
    } catch (error) {
      if (!(error instanceof SchemaProblem)) throw error;
      problems.push(`${key}.result: ${error.message}`);
      return;
    }
    let validateArguments: ValidateFunction | undefined;
    try {
      args = types.arguments(field);
      validateArguments = field.arguments === undefined ? undefined : validatorAt(ajv, field.arguments);
    } catch (error) {
      if (!(error instanceof SchemaProblem)) throw error;
      problems.push(`${key}.arguments: ${error.message}`);
      return;
    }
    const description = field.description ?? types.descriptionOf(field.result);
    const resolve = typedFieldResolver({ field, validate, validateArguments });
    // The shapes are only known at run time: Pothos' inference has nothing to check here.
    const options = (t: Parameters<Parameters<typeof builder.queryField>[1]>[0]) =>
      t.field({
        ...outputOptions(output),
        description,
        args: Object.fromEntries(
          args.map((arg) => [arg.name, t.arg({ ...inputOptions(arg.type), description: arg.description } as never)]),
        ),
        // One invocation, as `invokeFunction` costs (a batch is still one call per field use to the client).
        complexity: (_args: unknown, context: { limits: { invocationCost: number } }) => context.limits.invocationCost,
        resolve,
      } as never);
    if (field.typeName === 'Query') builder.queryField(field.fieldName, options as never);
    else if (field.typeName === 'Mutation') builder.mutationField(field.fieldName, options as never);
    else {
      const object = types.objects.get(field.typeName);
      if (object === undefined) throw new Error('defined only once its type exists');
      if (object.properties.has(field.fieldName)) {
        problems.push(`${key}: ${field.typeName} already has a field ${field.fieldName} from its schema`);
        return;
      }
      builder.objectField(object.ref as never, field.fieldName, options as never);
    }
    declared.add(field.origin);
  };

  const roots = typed.fields.filter((field) => field.typeName === 'Query' || field.typeName === 'Mutation');
  for (const field of roots) define(field);
  // Object-type fields once their type exists; a field's own result may define the next one's type.
  let pending = typed.fields.filter((field) => !roots.includes(field));
  for (let progress = true; progress && pending.length > 0;) {
    const ready = pending.filter((field) => types.objects.has(field.typeName));
    for (const field of ready) define(field);
    progress = ready.length > 0;
    pending = pending.filter((field) => !ready.includes(field));
  }
  for (const field of pending)
    problems.push(
      `typedFields.${field.origin}: there is no object type ${field.typeName} among the typed fields’ results (${[...types.objects.keys()].join(', ') || 'none'})`,
    );
  if (problems.length > 0) throw typedFieldsConfigError(new TypedFieldsError(problems));

  if (roots.some((field) => field.typeName === 'Query')) builder.queryType({});
  if (roots.some((field) => field.typeName === 'Mutation')) builder.mutationType({});
  try {
    return builder.toSchema();
  } catch (error) {
    throw typedFieldsConfigError(new TypedFieldsError([`typedFields: ${(error as Error).message}`])) satisfies GatewayConfigError;
  }
}

/**
 * The `typedFields` configuration section: GraphQL fields backed by functions, their arguments and
 * results described in JSON Schema. This file holds the input shape, its zod schema and the
 * resolution that reads every JSON Schema document a declaration names (files and the files their
 * `$ref`s point at), once, at start. Turning the documents into GraphQL types is
 * json-schema-types.ts's; invoking is typed-field-resolvers.ts's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';

/** A JSON Schema: inline, or the path of a JSON file (`orders.schema.json`, `common.json#/$defs/Order`). */
export type JsonSchemaSource = string | { readonly [keyword: string]: unknown };

export interface TypedFieldOptions {
  /** The function: a name, `name:qualifier` or an ARN. */
  readonly function: string;
  /** A version or alias. @default none ($LATEST, or the qualifier in `function`) */
  readonly qualifier?: string;
  /** The field's description in the schema. @default the result schema's `description` */
  readonly description?: string;
  /** An object schema whose properties are the field's arguments (`required` ones are non-null). @default no arguments */
  readonly arguments?: JsonSchemaSource;
  /** What the function returns; its result is validated against it. */
  readonly result: JsonSchemaSource;
  /**
   * On an object type's field: what of the parent the function receives as `source` — the whole
   * parent (`parent`) or only the listed fields. Root fields get `source: null`. @default "parent"
   */
  readonly source?: 'parent' | readonly string[];
  /**
   * A read: identical uses in one operation (same arguments, same source) are one call. Not on
   * Mutation fields, which are never deduplicated. @default true on Query and object-type fields
   */
  readonly idempotent?: boolean;
  /**
   * The function takes a batch: one invocation per batch of at most `maxSize` items, payload an
   * array in AppSync's BatchInvoke shape, result an array in the same order. Not on Mutation fields.
   * @default none: one invocation per distinct use, concurrently
   */
  readonly batch?: { readonly maxSize: number };
}

/** `{ Query: { user: {...} }, Mutation: { placeOrder: {...} }, User: { orders: {...} } }`. */
export type TypedFieldsOptions = { readonly [typeName: string]: { readonly [fieldName: string]: TypedFieldOptions } };

/** Where a schema node is: the document's URL and a JSON pointer into it. */
export interface SchemaLocation {
  readonly url: string;
  readonly pointer: string;
}

export interface ResolvedTypedField {
  readonly typeName: string;
  readonly fieldName: string;
  /** `Query.user`: what errors and the activity log call it. */
  readonly origin: string;
  readonly functionName: string;
  readonly qualifier: string | undefined;
  readonly description: string | undefined;
  readonly arguments: SchemaLocation | undefined;
  readonly result: SchemaLocation;
  readonly source: 'parent' | readonly string[];
  readonly idempotent: boolean;
  readonly batch: { readonly maxSize: number } | undefined;
}

export interface ResolvedTypedFields {
  readonly fields: readonly ResolvedTypedField[];
  /** Every JSON Schema document the fields name, by URL (file: URLs; inline ones get a query string). */
  readonly documents: ReadonlyMap<string, unknown>;
}

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const graphqlName = z.string().regex(GRAPHQL_NAME, 'must be a GraphQL name (letters, digits, _; not starting with a digit)');
const schemaSource = z.union([z.string().min(1), z.record(z.string(), z.unknown())], {
  error: 'must be a JSON Schema object or the path of a JSON Schema file',
});

export const typedFieldsSchema = z.record(
  graphqlName,
  z.record(
    graphqlName,
    z.strictObject({
      function: z.string().min(1),
      qualifier: z
        .string()
        .regex(/^[\w\-$.]+$/, 'must be a version, an alias or $LATEST')
        .optional(),
      description: z.string().optional(),
      arguments: schemaSource.optional(),
      result: schemaSource,
      source: z.union([z.literal('parent'), z.array(graphqlName).min(1)]).optional(),
      idempotent: z.boolean().optional(),
      batch: z.strictObject({ maxSize: z.number().int().min(1).max(10_000) }).optional(),
    }),
  ),
);

/** A declaration that cannot be served; the message names the key (`typedFields.Query.user.result`) and why. */
export class TypedFieldsError extends Error {
  override readonly name = 'TypedFieldsError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

/** The demo's declarations (examples/typed-fields/), served with the demo functions. */
const DEMO_SCHEMAS = new URL('../../examples/typed-fields/', import.meta.url);
export const DEMO_TYPED_FIELDS: TypedFieldsOptions = {
  Query: {
    user: {
      function: 'users-get',
      description: 'A user by id; null when there is none.',
      arguments: { type: 'object', properties: { id: { type: 'string', 'x-graphql-type': 'ID' } }, required: ['id'] },
      result: new URL('users-get.schema.json', DEMO_SCHEMAS).pathname,
      batch: { maxSize: 100 },
    },
  },
  User: {
    orders: {
      function: 'orders-by-user',
      description: 'The user’s orders, oldest first.',
      result: new URL('orders-by-user.schema.json', DEMO_SCHEMAS).pathname,
      source: ['id'],
      batch: { maxSize: 100 },
    },
  },
  Mutation: {
    placeOrder: {
      function: 'orders-place',
      description: 'Places an order for a user; null when the user does not exist.',
      arguments: new URL('orders-place.arguments.schema.json', DEMO_SCHEMAS).pathname,
      result: new URL('orders-place.schema.json', DEMO_SCHEMAS).pathname,
    },
  },
};

const ROOT_TYPES = new Set(['Query', 'Mutation']);

/**
 * Reads every document the declarations name. Relative file paths are taken from `baseDir` (the
 * configuration file's folder; the working directory for options given in code), `$ref`s to other
 * files relative to the file that holds them.
 */
export function resolveTypedFields(options: TypedFieldsOptions, baseDir: string): ResolvedTypedFields {
  const documents = new Map<string, unknown>();
  const problems: string[] = [];
  const fields: ResolvedTypedField[] = [];
  const base = pathToFileURL(path.join(path.resolve(baseDir), '/')).href;
  for (const [typeName, declared] of Object.entries(options)) {
    if (typeName === 'Subscription') {
      problems.push(`typedFields.Subscription: functions back Query, Mutation and object-type fields, not subscriptions`);
      continue;
    }
    for (const [fieldName, field] of Object.entries(declared)) {
      const key = `typedFields.${typeName}.${fieldName}`;
      const mutation = typeName === 'Mutation';
      if (mutation && field.batch !== undefined) problems.push(`${key}.batch: Mutation fields are never batched (each is one invocation)`);
      if (mutation && field.idempotent === true)
        problems.push(`${key}.idempotent: Mutation fields are never deduplicated (two identical calls are two invocations)`);
      if (ROOT_TYPES.has(typeName) && field.source !== undefined) problems.push(`${key}.source: a root field has no parent`);
      const locate = (what: 'arguments' | 'result', source: JsonSchemaSource): SchemaLocation | undefined => {
        try {
          return locateSource(source, base, `${key}.${what}`, documents);
        } catch (error) {
          problems.push(`${key}.${what}: ${(error as Error).message}`);
          return undefined;
        }
      };
      const args = field.arguments === undefined ? undefined : locate('arguments', field.arguments);
      const result = locate('result', field.result);
      if (result === undefined) continue;
      fields.push({
        typeName,
        fieldName,
        origin: `${typeName}.${fieldName}`,
        functionName: field.function,
        qualifier: field.qualifier,
        description: field.description,
        arguments: args,
        result,
        source: field.source ?? 'parent',
        idempotent: !mutation && field.idempotent !== false,
        batch: field.batch,
      });
    }
  }
  if (problems.length > 0) throw new TypedFieldsError(problems);
  return { fields, documents };
}

function locateSource(source: JsonSchemaSource, base: string, key: string, documents: Map<string, unknown>): SchemaLocation {
  if (typeof source !== 'string') {
    // An inline schema: its own document, whose relative $refs are taken from the configuration's folder.
    const url = `${base}?${encodeURIComponent(key)}`;
    documents.set(url, source);
    loadReferenced(source, url, documents);
    return { url, pointer: '' };
  }
  const target = new URL(source.startsWith('/') ? pathToFileURL(source.split('#')[0] ?? '').href : source, base);
  const hash = source.includes('#') ? source.slice(source.indexOf('#') + 1) : '';
  target.hash = '';
  loadDocument(target.href, documents);
  return { url: target.href, pointer: decodeURIComponent(hash) };
}

function loadDocument(url: string, documents: Map<string, unknown>): void {
  if (documents.has(url)) return;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(new URL(url), 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the JSON Schema file ${new URL(url).pathname}: ${(error as Error).message}`, { cause: error });
  }
  documents.set(url, json);
  loadReferenced(json, url, documents);
}

/** Loads the other files `$ref`s inside `node` point at; `#…` refs stay in their own document. */
function loadReferenced(node: unknown, url: string, documents: Map<string, unknown>): void {
  if (Array.isArray(node)) {
    for (const item of node) loadReferenced(item, url, documents);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [keyword, value] of Object.entries(node)) {
    if (keyword === '$ref' && typeof value === 'string' && !value.startsWith('#')) {
      const target = new URL(value, url);
      target.hash = '';
      if (target.protocol !== 'file:') throw new Error(`${value}: only local files and #/… references are read (no network at start)`);
      loadDocument(target.href, documents);
    } else loadReferenced(value, url, documents);
  }
}

/**
 * A configuration file's relative schema paths made absolute from its folder, so that the file
 * means the same wherever the gateway is started. Anything that is not a declaration is left for
 * the configuration's validation to name.
 */
export function schemaPathsFrom(dir: string, typedFields: unknown): unknown {
  if (typeof typedFields !== 'object' || typedFields === null) return typedFields;
  const absolute = (source: unknown) => (typeof source === 'string' && !path.isAbsolute(source) ? path.resolve(dir, source) : source);
  return Object.fromEntries(
    Object.entries(typedFields).map(([typeName, fields]: [string, unknown]) => [
      typeName,
      typeof fields !== 'object' || fields === null
        ? fields
        : Object.fromEntries(
            Object.entries(fields).map(([fieldName, field]: [string, unknown]) => [
              fieldName,
              typeof field !== 'object' || field === null
                ? field
                : {
                    ...field,
                    ...('result' in field ? { result: absolute(field.result) } : {}),
                    ...('arguments' in field ? { arguments: absolute(field.arguments) } : {}),
                  },
            ]),
          ),
    ]),
  );
}

/**
 * JSON Schema → Pothos types, for the typed fields of one configuration. Each schema node becomes
 * at most one GraphQL type (one output and, where it is used as an argument, one input type): a
 * `$def` referenced from several fields is one `Order`, not several. What cannot be expressed in
 * GraphQL without guessing (a union of shapes, an enum of numbers, two nodes wanting one name) is
 * refused at start, naming the field and the JSON pointer of the node, rather than served as JSON.
 *
 * The walk resolves `$ref`s itself (in the documents declarations.ts read) rather than through
 * ajv: it needs each node's own location — for the error messages and for the one-type-per-node
 * rule — which ajv's compiled validators do not expose. ajv validates the results against the very
 * same documents (typed-field-resolvers.ts).
 */
import path from 'node:path';
import type { GatewaySchemaBuilder } from '../builder.ts';
import type { ResolvedTypedField, SchemaLocation } from './declarations.ts';

/** A schema node that cannot become a GraphQL type: `at` is its location, as the message shows it. */
export class SchemaProblem extends Error {
  override readonly name = 'SchemaProblem';
}

type JsonObject = { readonly [keyword: string]: unknown };

/** `"x-graphql-type": "ID"` on a string or integer: the GraphQL ID scalar (JSON Schema has no such type). */
export const GRAPHQL_TYPE = 'x-graphql-type';

/** Keywords that only validate or annotate: ajv checks them; the GraphQL type ignores them. */
const VALIDATION_ONLY = new Set([
  '$schema',
  '$id',
  '$comment',
  '$defs',
  'definitions',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  GRAPHQL_TYPE,
]);
/** Keywords that shape the GraphQL type (anyOf/oneOf only as "this or null"). */
const SHAPING = new Set(['type', 'properties', 'required', 'items', 'enum', 'additionalProperties', '$ref', 'anyOf', 'oneOf']);

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

type Scalar = 'String' | 'Int' | 'Float' | 'Boolean' | 'ID' | 'JSON';
/** A Pothos type reference: a scalar's name or a ref this mapper made. */
type Named = Scalar | object;

/** A field or argument type: a named type, or a list of one, and where null is allowed. */
export interface MappedType {
  readonly named: Named;
  readonly list: boolean;
  readonly nullable: boolean;
  /** Lists only. */
  readonly itemsNullable: boolean;
}

interface Node {
  readonly at: SchemaLocation;
  readonly schema: JsonObject;
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function child(at: SchemaLocation, ...segments: (string | number)[]): SchemaLocation {
  return { url: at.url, pointer: `${at.pointer}${segments.map((s) => `/${escapePointer(String(s))}`).join('')}` };
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export class JsonSchemaTypes {
  readonly #builder: GatewaySchemaBuilder;
  readonly #documents: ReadonlyMap<string, unknown>;
  /** Names the gateway's own schema already uses. */
  readonly #reserved: ReadonlySet<string>;
  /** GraphQL name → the node (or declaration) that owns it. */
  readonly #owners = new Map<string, string>();
  readonly #outputs = new Map<string, Named>();
  readonly #inputs = new Map<string, Named>();
  readonly #enums = new Map<string, Named>();
  /** Object types by GraphQL name, with their properties' names, for the fields declared on them. */
  readonly objects = new Map<string, { readonly ref: object; readonly properties: ReadonlySet<string> }>();
  /** The declaration being mapped, for the names of types nobody titled. */
  #declaration = '';

  constructor(builder: GatewaySchemaBuilder, documents: ReadonlyMap<string, unknown>, reserved: ReadonlySet<string>) {
    this.#builder = builder;
    this.#documents = documents;
    this.#reserved = reserved;
  }

  /** How a location is shown: `users-get.schema.json#/properties/orders`, or `#/…` inline. */
  where(at: SchemaLocation): string {
    const url = new URL(at.url);
    const file = url.search === '' ? path.basename(url.pathname) : '';
    return `${file}#${at.pointer}`;
  }

  /** The field's result type. */
  output(field: ResolvedTypedField): MappedType {
    this.#declaration = field.origin;
    return this.#outputType(
      field.result,
      `${field.typeName === 'Query' || field.typeName === 'Mutation' ? '' : field.typeName}${pascal(field.fieldName)}Result`,
    );
  }

  /** The field's arguments: each property of the arguments schema, required ones non-null. */
  arguments(field: ResolvedTypedField): { readonly name: string; readonly type: MappedType; readonly description: string | undefined }[] {
    if (field.arguments === undefined) return [];
    this.#declaration = field.origin;
    const node = this.#resolve(field.arguments);
    const { properties, required } = this.#objectParts(node, 'the arguments schema');
    if (properties === undefined)
      throw this.#problem(node.at, 'the arguments schema must be an object schema with properties (one per argument)');
    return Object.entries(properties).map(([name, _]) => {
      this.#checkName(child(node.at, 'properties', name), name, 'an argument name');
      const type = this.#inputType(child(node.at, 'properties', name), `${pascal(field.fieldName)}${pascal(name)}Input`);
      const propertyNode = this.#resolve(child(node.at, 'properties', name));
      return { name, type: required.has(name) ? type : { ...type, nullable: true }, description: describe(propertyNode.schema) };
    });
  }

  /** The root schema's description, for a field that gives none of its own. */
  descriptionOf(at: SchemaLocation): string | undefined {
    return describe(this.#resolve(at).schema);
  }

  #problem(at: SchemaLocation, message: string): SchemaProblem {
    return new SchemaProblem(`${this.where(at)} ${message}`);
  }

  #lookup(at: SchemaLocation): unknown {
    let value = this.#documents.get(at.url);
    if (value === undefined) throw new SchemaProblem(`${this.where(at)} names a document that was not read`);
    if (at.pointer === '') return value;
    for (const raw of at.pointer.split('/').slice(1)) {
      const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
      if (typeof value !== 'object' || value === null || !(segment in value))
        throw new SchemaProblem(`${this.where(at)} does not exist (no "${segment}")`);
      value = (value as Record<string, unknown>)[segment];
    }
    return value;
  }

  /** The node at `at`, its `$ref`s followed (a ref with other keywords beside it is refused: which wins is not obvious). */
  #resolve(at: SchemaLocation, seen: readonly string[] = []): Node {
    const schema = this.#lookup(at);
    if (schema === true || (typeof schema === 'object' && schema !== null && Object.keys(schema).length === 0)) return { at, schema: {} };
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw this.#problem(at, 'is not a JSON Schema object');
    const object = schema as JsonObject;
    const ref = object.$ref;
    if (ref === undefined) return { at, schema: object };
    if (typeof ref !== 'string') throw this.#problem(child(at, '$ref'), 'must be a string');
    const extra = Object.keys(object).filter((keyword) => keyword !== '$ref' && keyword !== 'description' && keyword !== '$comment');
    if (extra.length > 0) throw this.#problem(child(at, extra[0] ?? ''), 'beside $ref is not supported (put it in the referenced schema)');
    const target = new URL(ref, at.url);
    const pointer = decodeURIComponent(target.hash.replace(/^#/, ''));
    target.hash = '';
    // A ref within an inline document keeps its query string (URL resolution of `#…` does).
    const next = { url: ref.startsWith('#') ? at.url : target.href, pointer };
    const key = `${next.url}#${next.pointer}`;
    if (seen.includes(key)) throw this.#problem(at, `is a $ref cycle with no schema in it (${ref})`);
    if (!this.#documents.has(next.url)) throw this.#problem(child(at, '$ref'), `points at ${ref}, which was not read`);
    try {
      this.#lookup(next);
    } catch {
      throw this.#problem(child(at, '$ref'), `points at ${ref}, which does not exist`);
    }
    return this.#resolve(next, [...seen, key]);
  }

  #checkKeywords(node: Node): void {
    for (const keyword of Object.keys(node.schema)) {
      if (!VALIDATION_ONLY.has(keyword) && !SHAPING.has(keyword))
        throw this.#problem(
          child(node.at, keyword),
          `is not supported (supported: type, properties, required, items, enum, additionalProperties, $ref, anyOf/oneOf of one schema and null, and validation keywords)`,
        );
    }
  }

  /** `type: [x, "null"]`, `anyOf: [x, {type: "null"}]`: x, nullable. */
  #unwrapNull(node: Node): { node: Node; nullable: boolean; type: string | undefined } {
    this.#checkKeywords(node);
    for (const combinator of ['anyOf', 'oneOf'] as const) {
      const members = node.schema[combinator];
      if (members === undefined) continue;
      const at = child(node.at, combinator);
      if (!Array.isArray(members)) throw this.#problem(at, 'must be an array');
      const isNull = (i: number) => {
        const member = this.#resolve(child(at, i)).schema;
        return member.type === 'null' && Object.keys(member).every((k) => k === 'type' || VALIDATION_ONLY.has(k));
      };
      const nulls = members.map((_, i) => isNull(i));
      if (members.length !== 2 || nulls.filter(Boolean).length !== 1)
        throw this.#problem(
          at,
          'is not supported (only a schema or null: [{ $ref: … }, { type: "null" }]; GraphQL has no unions of scalars or inputs)',
        );
      const others = Object.keys(node.schema).filter((k) => k !== combinator && !VALIDATION_ONLY.has(k));
      if (others.length > 0) throw this.#problem(child(node.at, others[0] ?? ''), `beside ${combinator} is not supported`);
      const inner = this.#resolve(child(at, nulls[0] === true ? 1 : 0));
      const unwrapped = this.#unwrapNull(inner);
      return { ...unwrapped, nullable: true };
    }
    const type = node.schema.type;
    // `enum: ["A", "B", null]` admits null as `type: [x, "null"]` does.
    const enumNull = Array.isArray(node.schema.enum) && node.schema.enum.includes(null);
    if (enumNull)
      return {
        node,
        nullable: true,
        type: Array.isArray(type) ? (type.find((t) => t !== 'null') as string | undefined) : (type as string | undefined),
      };
    if (type === undefined || typeof type === 'string') return { node, nullable: type === 'null', type: type };
    if (!Array.isArray(type)) throw this.#problem(child(node.at, 'type'), 'must be a type name or a list of them');
    const named = type.filter((t) => t !== 'null');
    if (named.length > 1)
      throw this.#problem(child(node.at, 'type'), `${JSON.stringify(type)} is not supported (one type, optionally with "null")`);
    return { node, nullable: named.length < type.length, type: named[0] as string | undefined };
  }

  #objectParts(node: Node, what: string): { properties: Record<string, unknown> | undefined; required: Set<string> } {
    const properties = node.schema.properties;
    if (properties !== undefined && (typeof properties !== 'object' || properties === null || Array.isArray(properties)))
      throw this.#problem(child(node.at, 'properties'), `of ${what} must be an object`);
    const required = node.schema.required ?? [];
    if (!Array.isArray(required) || required.some((r) => typeof r !== 'string'))
      throw this.#problem(child(node.at, 'required'), 'must be a list of property names');
    return { properties: properties as Record<string, unknown> | undefined, required: new Set(required as string[]) };
  }

  #checkName(at: SchemaLocation, name: string, what: string): void {
    if (!GRAPHQL_NAME.test(name))
      throw this.#problem(at, `${JSON.stringify(name)} is not usable as ${what}: GraphQL names are letters, digits and _`);
  }

  /** The GraphQL name for a node's type: its `title`, else its `$defs` key, else `hint`; refused if taken. */
  #claim(node: Node, hint: string, key: string, input: boolean): string {
    const title = node.schema.title;
    const defs = /\/(?:\$defs|definitions)\/([^/]+)$/.exec(node.at.pointer)?.[1];
    let name = typeof title === 'string' ? title : (defs ?? hint);
    if (input && !name.endsWith('Input')) name = `${name}Input`;
    this.#checkName(typeof title === 'string' ? child(node.at, 'title') : node.at, name, 'a GraphQL type name');
    if (this.#reserved.has(name)) throw this.#problem(node.at, `wants the type name ${name}, which the gateway’s own schema uses`);
    const owner = this.#owners.get(name);
    if (owner !== undefined && owner !== key)
      throw this.#problem(
        node.at,
        `wants the type name ${name}, which ${owner.startsWith('field ') ? owner : `another schema (${owner})`} already has; give one of them another title`,
      );
    this.#owners.set(name, key);
    return name;
  }

  #keyOf(node: Node): string {
    return `${this.where(node.at)} (${this.#declaration})`;
  }

  #nodeKey(node: Node): string {
    return `${node.at.url}#${node.at.pointer}`;
  }

  #outputType(at: SchemaLocation, hint: string): MappedType {
    const { node, nullable, type } = this.#unwrapNull(this.#resolve(at));
    if (type === 'array' || (type === undefined && node.schema.items !== undefined)) {
      const items = node.schema.items;
      if (typeof items !== 'object' || items === null || Array.isArray(items))
        throw this.#problem(child(node.at, 'items'), 'must be one schema (tuples are not supported)');
      const item = this.#outputType(child(node.at, 'items'), `${hint}Item`);
      if (item.list) throw this.#problem(child(node.at, 'items'), 'is an array of arrays, which is not supported');
      return { named: item.named, list: true, nullable, itemsNullable: item.nullable };
    }
    return { named: this.#namedOutput(node, type, hint), list: false, nullable, itemsNullable: false };
  }

  #scalar(node: Node, type: string | undefined): Scalar | undefined {
    const declared = node.schema[GRAPHQL_TYPE];
    if (declared !== undefined) {
      if (declared !== 'ID' || (type !== 'string' && type !== 'integer'))
        throw this.#problem(child(node.at, GRAPHQL_TYPE), 'must be "ID", on a string or an integer');
      return 'ID';
    }
    switch (type) {
      case 'string':
        return node.schema.enum === undefined ? 'String' : undefined;
      case 'integer':
        return 'Int';
      case 'number':
        return 'Float';
      case 'boolean':
        return 'Boolean';
      case 'null':
        throw this.#problem(child(node.at, 'type'), 'is only null, which GraphQL cannot type');
      default:
        return undefined;
    }
  }

  #enum(node: Node, hint: string): Named {
    const values = node.schema.enum;
    const at = child(node.at, 'enum');
    if (!Array.isArray(values) || values.length === 0) throw this.#problem(at, 'must be a non-empty list');
    const strings = values.filter((v) => v !== null);
    if (strings.some((v) => typeof v !== 'string'))
      throw this.#problem(at, `is not supported: only an enum of strings becomes a GraphQL enum (got ${JSON.stringify(values)})`);
    const key = this.#nodeKey(node);
    const existing = this.#enums.get(key);
    if (existing !== undefined) return existing;
    for (const [i, value] of strings.entries()) this.#checkName(child(at, i), value as string, 'an enum value');
    const name = this.#claim(node, hint, this.#keyOf(node), false);
    const ref = this.#builder.enumType(name, {
      description: describe(node.schema),
      values: Object.fromEntries(strings.map((value) => [value as string, { value: value as string }])),
    });
    this.#enums.set(key, ref);
    return ref;
  }

  #namedOutput(node: Node, type: string | undefined, hint: string): Named {
    const scalar = this.#scalar(node, type);
    if (scalar !== undefined) return scalar;
    if (node.schema.enum !== undefined) return this.#enum(node, hint);
    if (type !== undefined && type !== 'object')
      throw this.#problem(child(node.at, 'type'), `${JSON.stringify(type)} is not a JSON Schema type`);
    const { properties, required } = this.#objectParts(node, 'an object');
    const additional = node.schema.additionalProperties;
    // A free object (no properties, or any others allowed beside them) has no fixed shape: JSON.
    if (properties === undefined || Object.keys(properties).length === 0 || (additional !== undefined && additional !== false))
      return 'JSON';
    const key = this.#nodeKey(node);
    const existing = this.#outputs.get(key);
    if (existing !== undefined) return existing;
    const name = this.#claim(node, hint, this.#keyOf(node), false);
    const ref = this.#builder.objectRef<Record<string, unknown>>(name);
    // Registered before its properties are mapped, so that a recursive $ref finds it.
    this.#outputs.set(key, ref);
    this.objects.set(name, { ref, properties: new Set(Object.keys(properties)) });
    const fields = Object.keys(properties).map((property) => {
      const at = child(node.at, 'properties', property);
      this.#checkName(at, property, 'a field name');
      const mapped = this.#outputType(at, `${name}${pascal(property)}`);
      return {
        property,
        type: required.has(property) ? mapped : { ...mapped, nullable: true },
        description: describe(this.#resolve(at).schema),
      };
    });
    ref.implement({
      description: describe(node.schema),
      fields: (t) =>
        Object.fromEntries(
          fields.map(({ property, type: mapped, description }) => [
            property,
            t.field({
              ...outputOptions(mapped),
              description,
              resolve: (parent: Record<string, unknown>) => parent[property] as never,
            } as never),
          ]),
        ),
    });
    return ref;
  }

  #inputType(at: SchemaLocation, hint: string): MappedType {
    const { node, nullable, type } = this.#unwrapNull(this.#resolve(at));
    if (type === 'array' || (type === undefined && node.schema.items !== undefined)) {
      const items = node.schema.items;
      if (typeof items !== 'object' || items === null || Array.isArray(items))
        throw this.#problem(child(node.at, 'items'), 'must be one schema (tuples are not supported)');
      const item = this.#inputType(child(node.at, 'items'), hint);
      if (item.list) throw this.#problem(child(node.at, 'items'), 'is an array of arrays, which is not supported');
      return { named: item.named, list: true, nullable, itemsNullable: item.nullable };
    }
    const scalar = this.#scalar(node, type);
    if (scalar !== undefined) return { named: scalar, list: false, nullable, itemsNullable: false };
    if (node.schema.enum !== undefined) return { named: this.#enum(node, hint), list: false, nullable, itemsNullable: false };
    const { properties, required } = this.#objectParts(node, 'an object');
    const additional = node.schema.additionalProperties;
    if (properties === undefined || Object.keys(properties).length === 0 || (additional !== undefined && additional !== false))
      return { named: 'JSON', list: false, nullable, itemsNullable: false };
    const key = this.#nodeKey(node);
    const existing = this.#inputs.get(key);
    if (existing !== undefined) return { named: existing, list: false, nullable, itemsNullable: false };
    const name = this.#claim(node, hint.replace(/Input$/, ''), `${this.#keyOf(node)} as input`, true);
    const ref = this.#builder.inputRef<Record<string, NonNullable<unknown> | null | undefined>>(name);
    this.#inputs.set(key, ref);
    const fields = Object.keys(properties).map((property) => {
      const propertyAt = child(node.at, 'properties', property);
      this.#checkName(propertyAt, property, 'an input field name');
      const mapped = this.#inputType(propertyAt, `${name.replace(/Input$/, '')}${pascal(property)}Input`);
      return {
        property,
        type: required.has(property) ? mapped : { ...mapped, nullable: true },
        description: describe(this.#resolve(propertyAt).schema),
      };
    });
    ref.implement({
      description: describe(node.schema),
      // The shape is only known at run time: Pothos' inference has nothing to check here.
      fields: (t) =>
        Object.fromEntries(
          fields.map(({ property, type: mapped, description }) => [property, t.field({ ...inputOptions(mapped), description } as never)]),
        ) as never,
    });
    return { named: ref, list: false, nullable, itemsNullable: false };
  }
}

function describe(schema: JsonObject): string | undefined {
  return typeof schema.description === 'string' ? schema.description : undefined;
}

/** Pothos output field options for a mapped type. */
export function outputOptions(mapped: MappedType): { type: unknown; nullable: unknown } {
  return mapped.list
    ? { type: [mapped.named], nullable: { list: mapped.nullable, items: mapped.itemsNullable } }
    : { type: mapped.named, nullable: mapped.nullable };
}

/** Pothos argument / input field options for a mapped type. */
export function inputOptions(mapped: MappedType): { type: unknown; required: unknown } {
  return mapped.list
    ? { type: [mapped.named], required: { list: !mapped.nullable, items: !mapped.itemsNullable } }
    : { type: mapped.named, required: !mapped.nullable };
}

/**
 * JSON Schema → GraphQL: each supported construct, as the SDL it prints, and a start-up error
 * naming the field and the JSON Schema path for each construct that is not.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GraphQLNamedType, printType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { GatewayConfigError, resolveGatewayConfig } from '../../src/config.ts';
import { gatewaySchema } from '../../src/schema/index.ts';
import type { JsonSchemaSource, TypedFieldsOptions } from '../../src/typed-fields/declarations.ts';

function schemaOf(typedFields: TypedFieldsOptions) {
  return gatewaySchema(resolveGatewayConfig({ lambda: { kind: 'aws', region: 'us-east-1' }, typedFields }).typedFields);
}

/** `Query.thing`'s declaration, its result given. */
function resultField(result: JsonSchemaSource, args?: JsonSchemaSource): TypedFieldsOptions {
  return { Query: { thing: { function: 'thing', result, ...(args === undefined ? {} : { arguments: args }) } } };
}

/** The printed `thing` field of Query, and every type named in `types`. */
function sdl(typedFields: TypedFieldsOptions, ...types: string[]): string {
  const schema = schemaOf(typedFields);
  const query = schema.getQueryType();
  const field = query?.getFields().thing;
  const fieldLine =
    field === undefined
      ? ''
      : `thing${field.args.length === 0 ? '' : `(${field.args.map((a) => `${a.name}: ${String(a.type)}`).join(', ')})`}: ${String(field.type)}`;
  return [fieldLine, ...types.map((name) => printType(schema.getType(name) as GraphQLNamedType))].join('\n');
}

function startUpError(typedFields: TypedFieldsOptions): string {
  try {
    schemaOf(typedFields);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a start-up error');
}

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });

describe('JSON Schema constructs → GraphQL types', () => {
  it.each([
    ['string → String!', { type: 'string' }, 'thing: String!'],
    ['integer → Int!', { type: 'integer' }, 'thing: Int!'],
    ['number → Float!', { type: 'number' }, 'thing: Float!'],
    ['boolean → Boolean!', { type: 'boolean' }, 'thing: Boolean!'],
    ['format date-time stays String', { type: 'string', format: 'date-time' }, 'thing: String!'],
    ['x-graphql-type ID → ID', { type: 'string', 'x-graphql-type': 'ID' }, 'thing: ID!'],
    ['type [x, "null"] → nullable', { type: ['integer', 'null'] }, 'thing: Int'],
    ['anyOf [x, null] → nullable', { anyOf: [{ type: 'boolean' }, { type: 'null' }] }, 'thing: Boolean'],
    ['enum with null → nullable enum', { title: 'Level', enum: ['LOW', 'HIGH', null] }, 'thing: Level'],
    ['array/items → list', { type: 'array', items: { type: 'string' } }, 'thing: [String!]!'],
    ['nullable items', { type: 'array', items: { type: ['string', 'null'] } }, 'thing: [String]!'],
    ['free object → JSON', { type: 'object' }, 'thing: JSON!'],
    ['additionalProperties → JSON', object({ a: { type: 'string' } }, { additionalProperties: true }), 'thing: JSON!'],
    ['no constraint at all → JSON', {}, 'thing: JSON!'],
  ])('%s', (_name, result, expected) => {
    expect(sdl(resultField(result))).toBe(expected);
  });

  it('object/properties/required: required ones non-null, descriptions carried over, the name from title', () => {
    const result = object(
      { id: { type: 'string', description: 'The key.' }, age: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } },
      { title: 'Person', description: 'Someone.', required: ['id', 'tags'] },
    );
    expect(sdl(resultField(result), 'Person')).toBe(
      // Sorted, as the gateway prints its schema.
      [
        'thing: Person!',
        '"""Someone."""',
        'type Person {',
        '  age: Int',
        '',
        '  """The key."""',
        '  id: String!',
        '  tags: [String!]!',
        '}',
      ].join('\n'),
    );
  });

  it('an enum of strings → a GraphQL enum, named from the declaration when nothing names it', () => {
    expect(sdl(resultField({ enum: ['OPEN', 'CLOSED'] }), 'ThingResult')).toBe(
      'thing: ThingResult!\nenum ThingResult {\n  CLOSED\n  OPEN\n}',
    );
  });

  it('nested objects are named after their parent and property; a $defs key names its type', () => {
    const result = {
      type: 'object',
      title: 'Box',
      properties: { inner: object({ n: { type: 'integer' } }), part: { $ref: '#/$defs/Part' } },
      required: ['inner'],
      $defs: { Part: object({ code: { type: 'string' } }, { required: ['code'] }) },
    };
    expect(sdl(resultField(result), 'Box', 'BoxInner', 'Part')).toBe(
      [
        'thing: Box!',
        'type Box {',
        '  inner: BoxInner!',
        '  part: Part',
        '}',
        'type BoxInner {',
        '  n: Int',
        '}',
        'type Part {',
        '  code: String!',
        '}',
      ].join('\n'),
    );
  });

  it('arguments: each property an argument, required ones non-null; objects become input types', () => {
    const args = object(
      {
        id: { type: 'string', 'x-graphql-type': 'ID' },
        filter: object({ min: { type: 'number' } }, { title: 'RangeFilter' }),
        limit: { type: 'integer' },
      },
      { required: ['id'] },
    );
    expect(sdl(resultField({ type: 'string' }, args), 'RangeFilterInput')).toBe(
      'thing(filter: RangeFilterInput, id: ID!, limit: Int): String!\ninput RangeFilterInput {\n  min: Float\n}',
    );
  });

  it('the same $def used twice (and from another file) is one type', () => {
    const dir = mkdtempSync(join(tmpdir(), 'typed-fields-'));
    writeFileSync(
      join(dir, 'common.json'),
      JSON.stringify({ $defs: { Money: object({ amount: { type: 'number' } }, { required: ['amount'] }) } }),
    );
    writeFileSync(join(dir, 'price.json'), JSON.stringify({ $ref: 'common.json#/$defs/Money' }));
    const schema = schemaOf({
      Query: {
        price: { function: 'price', result: join(dir, 'price.json') },
        prices: { function: 'prices', result: { type: 'array', items: { $ref: `${join(dir, 'common.json')}#/$defs/Money` } } },
      },
    });
    expect(String(schema.getQueryType()?.getFields().price?.type)).toBe('Money!');
    expect(String(schema.getQueryType()?.getFields().prices?.type)).toBe('[Money!]!');
  });

  it('a configuration file’s schema paths and $refs are relative to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'typed-fields-'));
    writeFileSync(join(dir, 'common.json'), JSON.stringify({ $defs: { Money: object({ amount: { type: 'number' } }) } }));
    writeFileSync(join(dir, 'result.json'), JSON.stringify(object({ price: { $ref: 'common.json#/$defs/Money' } }, { title: 'Priced' })));
    writeFileSync(
      join(dir, 'gateway.json'),
      JSON.stringify({ typedFields: { Query: { thing: { function: 'thing', result: 'result.json' } } } }),
    );
    const { loadConfigFile } = await import('../../src/config-file.ts');
    const options = await loadConfigFile(join(dir, 'gateway.json'));
    const schema = gatewaySchema(resolveGatewayConfig({ ...options, lambda: { kind: 'aws', region: 'us-east-1' } }).typedFields);
    expect(printType(schema.getType('Priced') as GraphQLNamedType)).toBe('type Priced {\n  price: Money\n}');
  });

  it('print-schema --config: what a YAML configuration serves, its schema files relative to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'typed-fields-'));
    writeFileSync(join(dir, 'answer.json'), JSON.stringify({ type: 'integer', description: 'Forty-two.' }));
    writeFileSync(join(dir, 'gateway.yaml'), 'typedFields:\n  Query:\n    answer:\n      function: answer\n      result: answer.json\n');
    const { loadConfigFile } = await import('../../src/config-file.ts');
    const { printGatewaySchema } = await import('../../src/schema/print.ts');
    const printed = printGatewaySchema(resolveGatewayConfig(await loadConfigFile(join(dir, 'gateway.yaml'))).typedFields);
    expect(printed).toContain('  """Forty-two."""\n  answer: Int!\n');
    expect(printed).not.toContain('placeOrder');
  });

  it('a field on an object type the results define, and the demo’s schema files', () => {
    const schema = schemaOf({
      Query: {
        user: { function: 'users-get', result: new URL('../../examples/typed-fields/users-get.schema.json', import.meta.url).pathname },
      },
      User: {
        orders: {
          function: 'orders-by-user',
          result: new URL('../../examples/typed-fields/orders-by-user.schema.json', import.meta.url).pathname,
        },
      },
    });
    expect(String(schema.getQueryType()?.getFields().user?.type)).toBe('User');
    expect(printType(schema.getType('User') as GraphQLNamedType)).toContain('orders: [Order!]!');
    expect(printType(schema.getType('Order') as GraphQLNamedType)).toContain('items: [OrderItem!]!');
  });
});

describe('declarations that cannot be built stop start-up, naming the field and the JSON Schema path', () => {
  it.each([
    [
      'oneOf of shapes',
      object({ orders: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'integer' }] } } }),
      'typedFields.Query.thing.result: #/properties/orders/items/oneOf is not supported',
    ],
    [
      'anyOf of two shapes',
      { anyOf: [{ type: 'string' }, { type: 'number' }] },
      'typedFields.Query.thing.result: #/anyOf is not supported',
    ],
    ['allOf', { allOf: [{ type: 'string' }] }, 'typedFields.Query.thing.result: #/allOf is not supported'],
    [
      'an enum of non-strings',
      object({ level: { enum: [1, 2, 3] } }),
      'typedFields.Query.thing.result: #/properties/level/enum is not supported: only an enum of strings',
    ],
    [
      'an enum value that is no GraphQL name',
      { enum: ['in progress'] },
      'typedFields.Query.thing.result: #/enum/0 "in progress" is not usable as an enum value',
    ],
    ['a union of types', { type: ['string', 'integer'] }, 'typedFields.Query.thing.result: #/type ["string","integer"] is not supported'],
    [
      'a missing $ref',
      object({ a: { $ref: '#/$defs/Nope' } }),
      'typedFields.Query.thing.result: #/properties/a/$ref points at #/$defs/Nope, which does not exist',
    ],
    [
      'a property that is no GraphQL name',
      object({ 'first-name': { type: 'string' } }),
      'typedFields.Query.thing.result: #/properties/first-name "first-name" is not usable as a field name',
    ],
    [
      'an array of arrays',
      { type: 'array', items: { type: 'array', items: { type: 'string' } } },
      'typedFields.Query.thing.result: #/items is an array of arrays',
    ],
    [
      'a title the gateway uses',
      object({ a: { type: 'string' } }, { title: 'Invocation' }),
      'typedFields.Query.thing.result: # wants the type name Invocation, which the gateway’s own schema uses',
    ],
    ['a tuple', { type: 'array', items: [{ type: 'string' }] }, 'typedFields.Query.thing.result: #/items must be one schema'],
  ])('%s', (_name, result, message) => {
    expect(startUpError(resultField(result))).toContain(message);
  });

  it('two schemas wanting one type name', () => {
    const message = startUpError({
      Query: {
        a: { function: 'a', result: object({ x: { type: 'string' } }, { title: 'Thing' }) },
        b: { function: 'b', result: object({ y: { type: 'string' } }, { title: 'Thing' }) },
      },
    });
    expect(message).toContain('typedFields.Query.b.result: # wants the type name Thing, which another schema');
  });

  it('a field on a type no result defines', () => {
    expect(startUpError({ Customer: { orders: { function: 'orders', result: { type: 'string' } } } })).toContain(
      'typedFields.Customer.orders: there is no object type Customer among the typed fields’ results',
    );
  });

  it('arguments that are not an object schema with properties', () => {
    expect(startUpError(resultField({ type: 'string' }, { type: 'string' }))).toContain(
      'typedFields.Query.thing.arguments: # the arguments schema must be an object schema with properties',
    );
  });

  it('a missing schema file, and batched or deduplicated mutations', () => {
    expect(() => resolveGatewayConfig({ typedFields: resultField('/nowhere/thing.json') })).toThrow(
      /typedFields\.Query\.thing\.result: cannot read the JSON Schema file \/nowhere\/thing\.json/,
    );
    expect(() =>
      resolveGatewayConfig({
        typedFields: { Mutation: { place: { function: 'p', result: {}, batch: { maxSize: 5 }, idempotent: true } } },
      }),
    ).toThrow(/typedFields\.Mutation\.place\.batch: Mutation fields are never batched[\s\S]*typedFields\.Mutation\.place\.idempotent/);
  });

  it('a field the gateway’s own schema already has (it would replace the built-in one)', () => {
    expect(startUpError({ Query: { invocation: { function: 'a', result: { type: 'string' } } } })).toContain(
      "typedFields.Query.invocation: the gateway's schema already has Query.invocation; choose another field name",
    );
    expect(startUpError({ Mutation: { invokeFunction: { function: 'a', result: { type: 'string' } } } })).toContain(
      "typedFields.Mutation.invokeFunction: the gateway's schema already has Mutation.invokeFunction",
    );
  });

  it('a misspelt key of a declaration, as every configuration key', () => {
    expect(() => resolveGatewayConfig({ typedFields: { Query: { thing: { function: 'a', result: {}, batchh: {} } as never } } })).toThrow(
      /typedFields\.Query\.thing\.batchh: not a setting/,
    );
  });
});

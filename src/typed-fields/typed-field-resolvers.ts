/**
 * How a typed field resolves: through the gateway's one invocation service (`context.invocations`:
 * access rules, deadlines, metrics, the activity log, tracing), with the result validated against
 * its JSON Schema.
 *
 * Reads go through a DataLoader per request and field, so that every use of `user(id:)` in one
 * operation — under any alias, at any depth — is collected in one tick: identical uses (same
 * arguments, same source) are one key, distinct keys are one BatchInvoke per `maxSize` items for a
 * batch-aware function, or one invocation per key, concurrently, for the others. The loaders are
 * kept in a WeakMap keyed by the request's `RequestInvocations` (Hive's way of keeping per-request
 * facts), so the context needs no new member and the loaders go when the request does.
 *
 * Mutation fields are never loaded: each use is one invocation, and GraphQL runs them one after
 * the other.
 */
import DataLoader from 'dataloader';
import { type FieldNode, type GraphQLResolveInfo, Kind, print, type SelectionSetNode } from 'graphql';
import type { ValidateFunction } from 'ajv';
import type { Principal } from '../auth/authenticator.ts';
import type { GatewayContext } from '../context.ts';
import { badUserInput, batchLengthMismatch, functionError, invocationFailed, resultSchemaMismatch } from '../errors.ts';
import type { InvocationResult, RequestInvocations } from '../invocations/invocation-service.ts';
import { InvocationView } from '../invocations/invocation-view.ts';
import type { InvocationInput } from '../lambda/request-checks.ts';
import type { ResolvedTypedField } from './declarations.ts';

/** What the function receives per use of the field: AppSync's Invoke/BatchInvoke context, as JSON. */
export interface TypedFieldEvent {
  readonly arguments: Readonly<Record<string, unknown>>;
  /** The parent object (or the declared fields of it); null on Query and Mutation fields. */
  readonly source: Readonly<Record<string, unknown>> | null;
  readonly info: {
    readonly fieldName: string;
    readonly parentTypeName: string;
    readonly variables: Readonly<Record<string, unknown>>;
    /** The selected fields under this one, as paths (`orders/total`), AppSync's `selectionSetList`. */
    readonly selectionSetList: readonly string[];
    readonly selectionSetGraphQL: string;
  };
  /** The gateway's principal: `{ sub, roles }`, or null for an anonymous caller. */
  readonly identity: { readonly sub: string | null; readonly roles: readonly string[] } | null;
}

/** A field's resolving parts, built once per schema. */
export interface TypedFieldRuntime {
  readonly field: ResolvedTypedField;
  readonly validate: ValidateFunction;
  /**
   * The arguments schema: GraphQL has checked the types, this checks what GraphQL cannot express
   * (`minimum`, `minItems`, `pattern`, `format`…) before anything is invoked.
   */
  readonly validateArguments?: ValidateFunction | undefined;
}

type Resolver = (parent: unknown, args: Record<string, unknown>, context: GatewayContext, info: GraphQLResolveInfo) => Promise<unknown>;

/** An error-shaped item of a batch result (AppSync's batch error response item). */
function batchItemError(value: unknown): { errorType: string | undefined; errorMessage: string } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const item = value as Record<string, unknown>;
  if (typeof item.errorMessage !== 'string' && typeof item.errorType !== 'string') return undefined;
  if (!keys.every((key) => key === 'errorType' || key === 'errorMessage' || key === 'errorInfo' || key === 'data')) return undefined;
  return {
    errorType: typeof item.errorType === 'string' ? item.errorType : undefined,
    errorMessage: typeof item.errorMessage === 'string' ? item.errorMessage : String(item.errorType),
  };
}

function identityOf(principal: Principal): TypedFieldEvent['identity'] {
  switch (principal.kind) {
    case 'anonymous':
      return null;
    case 'api-key':
      return { sub: principal.id, roles: principal.roles };
    case 'jwt':
      return { sub: principal.subject ?? null, roles: principal.roles };
  }
}

/** `["id", "orders", "orders/total"]`: fragments flattened, `__typename` left out (AppSync does the same). */
function selectionSetList(nodes: readonly FieldNode[], info: GraphQLResolveInfo): string[] {
  const paths = new Set<string>();
  const walk = (set: SelectionSetNode | undefined, prefix: string) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === '__typename') continue;
        const path = `${prefix}${selection.name.value}`;
        paths.add(path);
        walk(selection.selectionSet, `${path}/`);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet, prefix);
      else walk(info.fragments[selection.name.value]?.selectionSet, prefix);
    }
  };
  for (const node of nodes) walk(node.selectionSet, '');
  return [...paths];
}

/**
 * The arguments as JSON, an explicit null dropped as if omitted: GraphQL lets a client send null
 * for any optional argument or input field, where the JSON Schema of an optional property need not
 * allow null.
 */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

/** The arguments if their schema allows them; else BAD_USER_INPUT naming the path, and nothing is invoked. */
function checkedArguments(runtime: TypedFieldRuntime, args: Record<string, unknown>): Record<string, unknown> {
  const plain = withoutNulls(args) as Record<string, unknown>;
  const validate = runtime.validateArguments;
  if (validate === undefined || validate(plain)) return plain;
  const [first] = validate.errors ?? [];
  throw badUserInput(
    `${runtime.field.origin}: ${first?.instancePath || '(the arguments)'} ${first?.message ?? 'does not match the arguments schema'}`,
  );
}

function eventOf(
  runtime: TypedFieldRuntime,
  parent: unknown,
  args: Record<string, unknown>,
  context: GatewayContext,
  info: GraphQLResolveInfo,
): TypedFieldEvent {
  const { field } = runtime;
  const root = field.typeName === 'Query' || field.typeName === 'Mutation';
  const whole = (parent ?? {}) as Record<string, unknown>;
  const source = root
    ? null
    : field.source === 'parent'
      ? whole
      : Object.fromEntries(field.source.map((name) => [name, whole[name] ?? null]));
  const selectionSet = info.fieldNodes[0]?.selectionSet;
  return {
    // A plain copy (graphql-js gives input objects a null prototype), checked against its schema.
    arguments: checkedArguments(runtime, args),
    source,
    info: {
      fieldName: info.fieldName,
      parentTypeName: info.parentType.name,
      variables: info.variableValues.coerced,
      selectionSetList: selectionSetList(info.fieldNodes, info),
      selectionSetGraphQL: selectionSet === undefined ? '' : print(selectionSet),
    },
    identity: identityOf(context.principal),
  };
}

function inputFor(field: ResolvedTypedField, payload: unknown): InvocationInput {
  return {
    functionName: field.functionName,
    qualifier: field.qualifier,
    invocationType: 'RequestResponse',
    logType: 'None',
    payload,
    origin: field.origin,
  };
}

/** The invocation's answer as JSON, or the field error that says why there is none. */
function answerOf(field: ResolvedTypedField, result: InvocationResult): { value: unknown; requestId: string } | Error {
  if (!(result instanceof InvocationView)) return invocationFailed(field.origin, field.functionName, result);
  const requestId = result.invocation.requestId;
  const failure = result.functionError;
  if (failure !== undefined) return functionError(field.origin, field.functionName, requestId, failure);
  const value = result.payloadJson;
  if (value === undefined) return resultSchemaMismatch(field.origin, field.functionName, requestId, '', 'the function returned no JSON');
  return { value, requestId };
}

/** The value if it matches the result schema; else the mismatch, naming its path. */
function checked(runtime: TypedFieldRuntime, value: unknown, requestId: string): unknown {
  if (runtime.validate(value)) return value;
  const [first] = runtime.validate.errors ?? [];
  return resultSchemaMismatch(
    runtime.field.origin,
    runtime.field.functionName,
    requestId,
    first?.instancePath ?? '',
    first?.message ?? 'does not match the result schema',
  );
}

/** The per-request loaders of each read field: one DataLoader per field, per request. */
const loadersByRequest = new WeakMap<RequestInvocations, Map<TypedFieldRuntime, DataLoader<TypedFieldEvent, unknown, string>>>();

function loaderFor(runtime: TypedFieldRuntime, invocations: RequestInvocations): DataLoader<TypedFieldEvent, unknown, string> {
  let loaders = loadersByRequest.get(invocations);
  if (loaders === undefined) {
    loaders = new Map();
    loadersByRequest.set(invocations, loaders);
  }
  let loader = loaders.get(runtime);
  if (loader === undefined) {
    const { field } = runtime;
    const batchFn =
      field.batch === undefined
        ? (events: readonly TypedFieldEvent[]) => invokeEach(runtime, invocations, events)
        : (events: readonly TypedFieldEvent[]) => invokeBatch(runtime, invocations, events);
    loader = new DataLoader<TypedFieldEvent, unknown, string>(batchFn, {
      // Identical uses of a read are one key: the same arguments and the same source (the info is the first use's).
      cacheKeyFn: (event) => JSON.stringify([event.arguments, event.source]),
      cache: field.idempotent,
      ...(field.batch === undefined ? {} : { maxBatchSize: field.batch.maxSize }),
    });
    loaders.set(runtime, loader);
  }
  return loader;
}

/** Not batch-aware: one invocation per key, all at once (the invoker's concurrency cap applies). */
async function invokeEach(
  runtime: TypedFieldRuntime,
  invocations: RequestInvocations,
  events: readonly TypedFieldEvent[],
): Promise<unknown[]> {
  const results = await invocations.invokeAll(events.map((event) => inputFor(runtime.field, event)));
  return results.map((result) => {
    const answer = answerOf(runtime.field, result);
    return answer instanceof Error ? answer : checked(runtime, answer.value, answer.requestId);
  });
}

/** Batch-aware: one BatchInvoke for these keys (DataLoader has split them at `maxSize`); each item its own outcome. */
async function invokeBatch(
  runtime: TypedFieldRuntime,
  invocations: RequestInvocations,
  events: readonly TypedFieldEvent[],
): Promise<unknown[]> {
  const { field } = runtime;
  const answer = answerOf(field, await invocations.invokeOne(inputFor(field, events)));
  if (answer instanceof Error) return events.map(() => answer);
  const { value, requestId } = answer;
  if (!Array.isArray(value) || value.length !== events.length) {
    const error = batchLengthMismatch(
      field.origin,
      field.functionName,
      requestId,
      events.length,
      Array.isArray(value) ? value.length : undefined,
    );
    return events.map(() => error);
  }
  return value.map((item: unknown) => {
    const itemError = batchItemError(item);
    if (itemError !== undefined) return functionError(field.origin, field.functionName, requestId, itemError);
    return checked(runtime, item, requestId);
  });
}

/** The field's resolver: loaded (reads) or invoked at once (mutations). */
export function typedFieldResolver(runtime: TypedFieldRuntime): Resolver {
  const { field } = runtime;
  if (field.typeName === 'Mutation') {
    return async (parent, args, context, info) => {
      const event = eventOf(runtime, parent, args, context, info);
      const answer = answerOf(field, await context.invocations.invokeOne(inputFor(field, event)));
      if (answer instanceof Error) throw answer;
      const value = checked(runtime, answer.value, answer.requestId);
      if (value instanceof Error) throw value;
      return value;
    };
  }
  // DataLoader rejects `load` with the Error in the key's slot: that error is the field's.
  return (parent, args, context, info) => loaderFor(runtime, context.invocations).load(eventOf(runtime, parent, args, context, info));
}

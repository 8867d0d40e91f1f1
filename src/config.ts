/**
 * Gateway configuration: optional input in, one fully resolved object out, validated once at the
 * edge. Which Lambda the gateway talks to is always an explicit choice — never inferred from stray
 * AWS environment variables — so a demo cannot invoke real functions by accident.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { AllowRule } from './access/allowlist.ts';
import { isLoopbackHostname } from './access/loopback.ts';
import type { AuthOptions } from './auth/authenticator.ts';
import type { ConcurrencyConfig, FunctionConcurrencyRule } from './lambda/concurrency-limits.ts';
import type { FunctionTimeoutRule } from './lambda/deadlines.ts';
import type { TracingOptions } from './observability/tracing.ts';
import { bareHash, type PersistedOperationsConfig } from './persisted-operations.ts';
import { DEFAULT_JOIN_AVAILABLE_BYTES, MAX_COALESCE_BYTES, MAX_COALESCE_MS } from './invocations/invocation-stream.ts';
import { DEMO_FUNCTIONS } from './local-lambda/definitions.ts';
import { REGION_PATTERN } from './protocol/function-name.ts';
import { MAX_FUNCTION_TIMEOUT_SECONDS } from './protocol/limits.ts';
import { issueKey, quotedValue } from './protocol/zod-issues.ts';
import {
  DEMO_TYPED_FIELDS,
  type ResolvedTypedFields,
  resolveTypedFields,
  type TypedFieldsOptions,
  TypedFieldsError,
  typedFieldsSchema,
} from './typed-fields/declarations.ts';

/**
 * `development` (the default): open, GraphiQL and introspection on, meant for localhost.
 * `production`: nothing may be invoked unless listed, GraphiQL and introspection off unless enabled.
 */
export type GatewayMode = 'development' | 'production';

export type LambdaTargetOptions =
  /**
   * The built-in local Lambda, started in-process, serving `functions`. `watch`: reload on edit
   * (a changed handler, helper or functions.json takes effect without a restart). @default true
   * in development; production never watches (`watch: true` there is refused)
   */
  | { readonly kind: 'local'; readonly functions?: string; readonly watch?: boolean }
  /** AWS itself, with the SDK's default credential chain. */
  | { readonly kind: 'aws'; readonly region: string }
  /**
   * Any Lambda-compatible endpoint (LocalStack, a local Lambda elsewhere). Without `credentials`
   * the SDK's default chain applies — unless the endpoint is `local`.
   */
  | {
      readonly kind: 'endpoint';
      readonly endpoint: string;
      readonly region?: string;
      readonly credentials?: StaticCredentials;
      /**
       * The endpoint is a local Lambda (this project's `npm run local-lambda`, LocalStack): it
       * checks no signatures, so requests are signed with placeholder credentials instead of
       * looking for real ones (none are needed, and the developer's own never leave for it), and
       * every Event invocation tells it this gateway's destination URL and secret, so the outcome
       * comes back here whatever port the gateway listens on (those headers carry the secret: never
       * sent to an endpoint that is not local). Not with `credentials: true`.
       * @default true when the endpoint's host is loopback (localhost, 127.0.0.0/8, [::1]), else false
       */
      readonly local?: boolean;
    };

export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface GatewayOptions {
  /** @default "development" */
  readonly mode?: GatewayMode;
  /** The port `npm start` listens on; `--port` and `PORT` override it (0 picks a free one). @default 4000 */
  readonly port?: number;
  /** The address `npm start` binds; `--host` overrides it. @default "127.0.0.1" in development, "0.0.0.0" in production */
  readonly host?: string;
  /**
   * Web pages of which other origins may call the gateway from a browser (CORS), with cookies and
   * credentials: exact origins such as `https://app.example.com` (scheme, host, port), or `"*"` for
   * any origin — then never with credentials. A list replaces the default; the gateway's own pages
   * (GraphiQL, the dashboard) are same-origin and need no entry.
   * @default development: loopback origins (http(s)://localhost:*, *.localhost, 127.0.0.0/8, [::1]); production: none
   */
  readonly cors?: { readonly origins?: readonly string[] };
  /**
   * Names the gateway answers to in the `Host` header (without the port) besides loopback ones
   * (localhost, *.localhost, 127.0.0.0/8, [::1]); other requests get 403 `HOST_NOT_ALLOWED`. A
   * defence against DNS rebinding: a page on another site reaching a gateway on this machine
   * through a name of its own that resolves here. `.example.com` allows the name and every
   * subdomain; `"*"` turns the check off.
   * @default development: loopback names only; production: not checked (a load balancer sits in front)
   */
  readonly allowedHosts?: readonly string[];
  /**
   * API keys and/or JWT. When set, every GraphQL operation (HTTP, SSE, WebSocket) needs valid
   * credentials. @default none: everyone is anonymous
   */
  readonly auth?: AuthOptions;
  /** What may be invoked. Required in production; without it, development allows everything. */
  readonly access?: { readonly allow?: readonly AllowRule[] };
  /** Allow introspection queries. @default true in development, false in production */
  readonly introspection?: boolean;
  /** @default { kind: 'local' } with the demo functions */
  readonly lambda?: LambdaTargetOptions;
  /**
   * Invocations in flight at once. Each function has its own cap, so one slow function fills only
   * its own slots and never delays the others; the total (Lambda's default account limit) only
   * bounds sockets and memory. A function's reserved concurrency, where the gateway knows it (the
   * built-in local Lambda's definitions, or Lambda's answer: `reservedFromLambda`), lowers its
   * cap. Invocations beyond a cap wait for a slot, within their deadline
   * (`lambda_invocations_queued`, `lambda_invocation_queued_seconds` in /metrics).
   * @default { total: 1000, perFunction: 250 (at most total), functions: [] }
   */
  readonly concurrency?: ConcurrencyOptions;
  /** Deadline of one invocation as the gateway waits for it. @default 60000 */
  readonly invokeTimeoutMs?: number;
  /**
   * Deadlines for particular functions, overriding `invokeTimeoutMs`: the first rule whose
   * `functions` (and `qualifiers`, if given) match the function's own name decides, e.g.
   * `[{ functions: ['report-*'], timeoutMs: 300000 }, { functions: ['lookup'], timeoutMs: 2000 }]`.
   * @default [] (every function gets invokeTimeoutMs)
   */
  readonly functionTimeouts?: readonly FunctionTimeoutRule[];
  /**
   * Attempts for an invocation Lambda refused before running it (throttled) or that never left
   * (connection refused); nothing else is retried. @default 3
   */
  readonly invokeMaxAttempts?: number;
  /**
   * Largest request body accepted (413 above it). The default fits a 6 MB payload with room to
   * spare; a batch of large payloads needs more. @default 16777216 (16 MiB)
   */
  readonly maxRequestBodyBytes?: number;
  /**
   * What functions receive as client context: the caller's (`pass`), none (`drop`), or one the
   * gateway issues and signs with `secret` (`sign`: the caller's principal and the request id).
   * @default { policy: 'pass' }
   */
  readonly clientContext?: { readonly policy: 'pass' | 'drop' | 'sign'; readonly secret?: string };
  /** Operations each caller (API key, JWT subject, or client address) may run per window. @default unlimited */
  readonly rateLimit?: { readonly operations: number; readonly perSeconds: number };
  /** Limits on the shape of an operation, refused at validation with their own codes. */
  readonly limits?: {
    /** Deepest selection nesting (introspection not counted). @default 10 */
    readonly maxDepth?: number;
    /**
     * Deepest nesting of an introspection query (`__schema`, `__type`), counted from its root.
     * GraphiQL's full introspection query (graphql-js `getIntrospectionQuery`, nine `ofType`
     * levels) is 15 deep. @default 20
     */
    readonly maxIntrospectionDepth?: number;
    /** Most aliased fields in one document (each could be another invocation). @default 15 */
    readonly maxAliases?: number;
    /** Most lexical tokens in one document. @default 5000 */
    readonly maxTokens?: number;
    /**
     * Highest cost of one operation (MAX_COST_EXCEEDED above it): each selected field costs 1,
     * each invocation `invocationCost`, and the fields selected on `invokeFunctions` results count
     * once per input. The default admits a full batch of `maxBatchSize` (100) with every result
     * field selected, but not aliases multiplying such batches. @default 10000
     */
    readonly maxCost?: number;
    /** What one invocation adds to an operation's cost. @default 10 */
    readonly invocationCost?: number;
  };
  /** Most inputs one `invokeFunctions` may take. @default 100 */
  readonly maxBatchSize?: number;
  /** Serve GraphiQL at the GraphQL path. @default true in development, false in production */
  readonly graphiql?: boolean;
  /** Serve the live dashboard at `/dashboard`. @default true in development, false in production */
  readonly dashboard?: boolean;
  /**
   * Recent invocations each instance keeps in memory for the dashboard and
   * `Query.recentInvocations` (0 keeps none). @default 200
   */
  readonly activityLogSize?: number;
  readonly destinations?: DestinationOptions;
  /** How long an invocation record is kept after its last change. @default 86400000 (a day) */
  readonly invocationTtlMs?: number;
  /** When the gateway stops waiting for an EVENT invocation's outcome. */
  readonly asyncRecords?: AsyncRecordOptions;
  /** The function catalog (`Query.functions`, `Query.function`). */
  readonly catalog?: CatalogOptions;
  /** How long an idempotency key and its outcome are remembered. @default 86400000 (a day) */
  readonly idempotencyTtlMs?: number;
  /**
   * On shutdown, how long requests under way may take to finish before their connections are
   * cut. @default 30000
   */
  readonly shutdownGraceMs?: number;
  /**
   * Share invocation records and events between gateway instances through Redis. Without it,
   * both live in this process's memory. @default none
   */
  readonly redis?: { readonly url: string; readonly keyPrefix?: string };
  /**
   * OpenTelemetry tracing: a span per GraphQL operation (parse, validate, execute) and per Lambda
   * invocation, continuing an incoming `traceparent`. @default off (no spans, no cost)
   */
  readonly tracing?: TracingOptions;
  /**
   * Run the operations of a persisted-operations manifest (the `persisted-documents.json` that
   * `npm run codegen` writes: sha256 hash → document), sent by hash as
   * `extensions.persistedQuery.sha256Hash`. With `allowArbitraryOperations: false` (the default)
   * nothing else runs: an unknown hash is PERSISTED_QUERY_NOT_FOUND, a document sent in full
   * PERSISTED_QUERY_ONLY. @default none: any operation runs
   */
  readonly persistedOperations?: { readonly manifest: string; readonly allowArbitraryOperations?: boolean };
  /**
   * GraphQL fields backed by functions, by type and field: on `Query` (reads), `Mutation` (writes)
   * or an object type the results define (`User.orders`, resolved per parent), each naming its
   * function, its arguments and result as JSON Schema (inline, or a file relative to the
   * configuration file), and how the function is called (`batch`, `source`, `idempotent`); see
   * src/typed-fields/declarations.ts and the README. Reads are deduplicated and batched per
   * operation; results are validated against their schema.
   * @default with the demo functions, the demo's user, orders and placeOrder fields; otherwise none
   */
  readonly typedFields?: TypedFieldsOptions;
  /** Subscriptions over plain HTTP in Apollo Client's multipart format. */
  readonly multipartSubscriptions?: {
    /** How often an idle stream gets a heartbeat part (Apollo's router: 5 s). @default 5000 */
    readonly heartbeatIntervalMs?: number;
  };
  /**
   * `Subscription.invokeFunctionStream`'s coalescing of small chunks, when a subscription does
   * not choose its own (`coalesce`): chunks are held until `coalesceBytes` are buffered or
   * `coalesceMs` have passed since the first one held. 0 turns either bound off; both 0 forwards
   * every chunk as it arrives. Off by default: the point of streaming is the first bytes at once,
   * and only the client knows whether it would rather have fewer events. Joining the chunks that
   * are already here (`joinAvailableBytes`) is on by default: it holds nothing back.
   */
  readonly streaming?: {
    /** @default 0 (no coalescing by size) */
    readonly coalesceBytes?: number;
    /** @default 0 (no coalescing by time) */
    readonly coalesceMs?: number;
    /**
     * The chunks that have already arrived when a subscriber takes its next event are one event,
     * up to this many bytes (a chunk is never split); nothing waits for more. 0: one event per
     * Lambda chunk. @default 65536
     */
    readonly joinAvailableBytes?: number;
  };
}

export interface DestinationOptions {
  /** Where destination records are POSTed. @default "/lambda-destinations" */
  readonly path?: string;
  /**
   * The shared secret senders prove with `x-destination-secret` or an HMAC signature. With the
   * built-in local Lambda a random one is made at start and given to it. @default random
   */
  readonly secret?: string;
}

export interface AsyncRecordOptions {
  /**
   * How long after its 202 an EVENT invocation may take to report its outcome; with no
   * destination record by then its record becomes EXPIRED, and its subscribers get that and
   * complete. @default with the built-in local Lambda, the function's maximum event age + its
   * timeout + 5 minutes; otherwise what AWS allows at most: 6 h event age + a 15-minute last
   * attempt + 15 minutes for the record to travel = 23400000 (6.5 h)
   */
  readonly expireAfterMs?: number;
  /**
   * How long `invocationUpdates` waits for a request id nobody has recorded before it ends with
   * INVOCATION_NOT_FOUND (an invocation started elsewhere is known once its record arrives).
   * @default the longest an invocation may take, as for expireAfterMs
   */
  readonly unknownIdWaitMs?: number;
}

export interface CatalogOptions {
  /**
   * How long Lambda's answers to the catalog's reads (function list, configurations, versions,
   * aliases) are kept, for every caller of this gateway: browsing costs a few calls, while a
   * deployed change shows within this time. 0 asks Lambda every time. @default 5000
   */
  readonly cacheTtlMs?: number;
}

export type ResolvedLambdaTarget =
  | { readonly kind: 'local'; readonly functions: string; readonly region: string; readonly watch: boolean }
  | { readonly kind: 'aws'; readonly region: string }
  | {
      readonly kind: 'endpoint';
      readonly endpoint: string;
      readonly region: string;
      /** The configured ones, the placeholders for a local endpoint, or undefined: the SDK's default chain. */
      readonly credentials: StaticCredentials | undefined;
      /** Whether `credentials` are the placeholders, because the endpoint is local. */
      readonly placeholderCredentials: boolean;
      /** A local Lambda: Event invocations tell it where to deliver their outcome. */
      readonly local: boolean;
    };

/** Who may call from a browser on another origin (see `GatewayOptions.cors`). */
export interface ResolvedCors {
  /** Exact origins granted access, with credentials. */
  readonly origins: readonly string[];
  /** Every loopback origin is granted access too, with credentials (the development default). */
  readonly loopback: boolean;
  /** Every origin is granted access, never with credentials (`"*"`). */
  readonly any: boolean;
}

export interface ConcurrencyOptions {
  /** In flight at once across all functions; also the SDK's socket pool size. @default 1000 */
  readonly total?: number;
  /** In flight at once per function (its own name, all qualifiers together). @default 250, at most `total` */
  readonly perFunction?: number;
  /**
   * Caps for particular functions, overriding `perFunction`: the first rule whose `functions`
   * match decides, e.g. `[{ functions: ['report-*'], max: 4 }]`. @default []
   */
  readonly functions?: readonly FunctionConcurrencyRule[];
  /**
   * Ask Lambda for each invoked function's reserved concurrency (GetFunctionConcurrency, which
   * needs the `lambda:GetFunctionConcurrency` permission; asked again every minute) and cap the
   * function at it, so that calls beyond it wait here instead of being throttled. Where Lambda does
   * not answer, the configured caps stand. @default true against AWS, false for an endpoint (the
   * built-in local Lambda's reserved concurrency is known from its definitions)
   */
  readonly reservedFromLambda?: boolean;
}

/** The concurrency settings, resolved: the limits' own, and whether Lambda is asked for reserved concurrency. */
export interface ResolvedConcurrency extends ConcurrencyConfig {
  readonly reservedFromLambda: boolean;
}

export interface ResolvedGatewayConfig {
  readonly mode: GatewayMode;
  /** Where `npm start` listens (startGatewayServer takes its own, for tests and embedding). */
  readonly port: number;
  readonly host: string;
  readonly cors: ResolvedCors;
  /** Host names answered besides loopback ones, `.domain` for subdomains too; `any`: not checked. */
  readonly allowedHosts: readonly string[] | 'any';
  readonly auth: AuthOptions | undefined;
  readonly access: { readonly allow: readonly AllowRule[] | undefined };
  readonly introspection: boolean;
  readonly lambda: ResolvedLambdaTarget;
  readonly concurrency: ResolvedConcurrency;
  readonly invokeTimeoutMs: number;
  readonly functionTimeouts: readonly FunctionTimeoutRule[];
  readonly invokeMaxAttempts: number;
  readonly maxBatchSize: number;
  readonly limits: {
    readonly maxDepth: number;
    readonly maxIntrospectionDepth: number;
    readonly maxAliases: number;
    readonly maxTokens: number;
    readonly maxCost: number;
    readonly invocationCost: number;
  };
  readonly rateLimit: { readonly operations: number; readonly perSeconds: number } | undefined;
  readonly clientContext: { readonly policy: 'pass' | 'drop' | 'sign'; readonly secret: string };
  readonly maxRequestBodyBytes: number;
  readonly graphiql: boolean;
  readonly dashboard: boolean;
  readonly activityLogSize: number;
  readonly destinations: { readonly path: string; readonly secret: string };
  readonly invocationTtlMs: number;
  /** Undefined: derived from the Lambda target when the gateway starts (see AsyncRecordOptions). */
  readonly asyncRecords: { readonly expireAfterMs: number | undefined; readonly unknownIdWaitMs: number | undefined };
  readonly catalog: { readonly cacheTtlMs: number };
  readonly idempotencyTtlMs: number;
  readonly shutdownGraceMs: number;
  readonly redis: { readonly url: string; readonly keyPrefix: string } | undefined;
  readonly tracing: TracingOptions | undefined;
  /** The manifest's path and its operations, loaded and checked at start. */
  readonly persistedOperations: (PersistedOperationsConfig & { readonly manifest: string }) | undefined;
  readonly multipartSubscriptions: { readonly heartbeatIntervalMs: number };
  readonly streaming: { readonly coalesceBytes: number; readonly coalesceMs: number; readonly joinAvailableBytes: number };
  /** Their JSON Schema documents read; turned into GraphQL types when the gateway is built. */
  readonly typedFields: ResolvedTypedFields;
}

/** The demo functions, served by the built-in local Lambda unless told otherwise. */
export { DEMO_FUNCTIONS };

/** What the gateway's Redis keys (and rate-limit buckets) start with, unless configured. */
export const DEFAULT_KEY_PREFIX = 'llgw:';

/** The longest invocation deadline: the longest a function can run, and a minute for the round trip. */
const MAX_DEADLINE_MS = MAX_FUNCTION_TIMEOUT_SECONDS * 1000 + 60_000;
const LOCAL_REGION = 'us-east-1';
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export const DEFAULT_PORT = 4000;
/** What requests to a `local` endpoint are signed with: it checks no signature, so any will do. */
export const PLACEHOLDER_CREDENTIALS: StaticCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

const region = z.string().regex(REGION_PATTERN, 'must be an AWS region such as us-east-1');
const invocationType = z.enum(['RequestResponse', 'Event', 'DryRun'], { error: 'must be RequestResponse, Event or DryRun' });
// Access rules and per-function deadlines name functions the same way (protocol/function-pattern.ts).
const functionPatterns = z.array(z.string().regex(/^[\w\-*.]+$/, 'function name patterns are names with * wildcards')).min(1);
const qualifierPatterns = z
  .array(z.string().regex(/^[\w\-$.*]+$/, 'qualifier patterns are versions, aliases or $LATEST, with * wildcards'))
  .min(1);
const concurrencyCount = z.number().int().min(1).max(10_000);
const allowRule = z.strictObject({
  functions: functionPatterns,
  qualifiers: qualifierPatterns.optional(),
  invocationTypes: z.array(invocationType).min(1).optional(),
  roles: z.array(z.string().min(1)).min(1).optional(),
  tailLogs: z.boolean().optional(),
  errorDetails: z.boolean().optional(),
});

/** An origin as a browser sends it in `Origin`: scheme, host and port, nothing more. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    // URL takes `*` in a host name; an origin pattern would match nothing and mislead.
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value && !value.includes('*');
  } catch {
    return false;
  }
}
const corsOrigin = z
  .string()
  .refine(
    (origin) => origin === '*' || isOrigin(origin),
    'must be an origin as a browser sends it, such as https://app.example.com (lower-case scheme and host, a port if not the default, no path, trailing slash or wildcard), or "*" alone',
  );
const allowedHost = z
  .string()
  .regex(
    /^(?:\*|\.?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])$/i,
    'must be a host name without a port, such as gateway.internal, .example.com for it and its subdomains, an IP address ([::1] for IPv6), or "*"',
  );

// Strict, every object in it: a misspelt or misplaced key is an error naming it, not silently
// ignored (`lambda: { kind: aws, endpoint: … }` would otherwise talk to real AWS).
const schema = z.strictObject({
  mode: z.enum(['development', 'production'], { error: 'must be development or production' }).default('development'),
  port: z.number().int().min(0).max(65_535).default(DEFAULT_PORT),
  host: z
    .string()
    .regex(/^(?:[\w.-]+|[0-9a-f:.]+)$/i, 'must be an address to bind, such as 127.0.0.1, 0.0.0.0, :: or a host name')
    .optional(),
  cors: z.strictObject({ origins: z.array(corsOrigin).optional() }).prefault({}),
  allowedHosts: z.array(allowedHost).optional(),
  access: z.strictObject({ allow: z.array(allowRule).optional() }).prefault({}),
  auth: z
    .strictObject({
      apiKeys: z
        .array(
          z.strictObject({
            id: z.string().min(1),
            sha256: z
              .string()
              .regex(/^[0-9a-f]{64}$/, 'must be the hex SHA-256 of the key (printf %s "$KEY" | sha256sum), never the key itself'),
            roles: z.array(z.string().min(1)).optional(),
          }),
        )
        .optional(),
      jwt: z
        .strictObject({
          secret: z.string().min(32, 'an HMAC secret must be at least 32 characters').optional(),
          jwksUrl: z.url({ protocol: /^https?$/ }).optional(),
          issuer: z.string().min(1),
          audience: z.string().min(1),
          rolesClaim: z.string().min(1).optional(),
        })
        .refine((jwt) => (jwt.secret === undefined) !== (jwt.jwksUrl === undefined), 'give exactly one of secret and jwksUrl')
        .optional(),
    })
    .refine((auth) => auth.apiKeys !== undefined || auth.jwt !== undefined, 'give apiKeys, jwt, or both')
    .optional(),
  introspection: z.boolean().optional(),
  lambda: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('local'), functions: z.string().min(1).default(DEMO_FUNCTIONS), watch: z.boolean().optional() }),
      z.strictObject({ kind: z.literal('aws'), region }),
      z
        .strictObject({
          kind: z.literal('endpoint'),
          endpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
          region: region.default(LOCAL_REGION),
          credentials: z.strictObject({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1) }).optional(),
          local: z.boolean().optional(),
        })
        .refine((endpoint) => endpoint.local !== true || endpoint.credentials === undefined, {
          message: 'a local endpoint is signed with placeholder credentials; give local: true or credentials, not both',
          path: ['local'],
        }),
    ])
    .default({ kind: 'local', functions: DEMO_FUNCTIONS }),
  concurrency: z
    .strictObject({
      total: concurrencyCount.default(1000),
      perFunction: concurrencyCount.optional(),
      functions: z.array(z.strictObject({ functions: functionPatterns, max: concurrencyCount })).default([]),
      reservedFromLambda: z.boolean().optional(),
    })
    .transform((c) => ({
      total: c.total,
      perFunction: c.perFunction ?? Math.min(250, c.total),
      functions: c.functions,
      reservedFromLambda: c.reservedFromLambda,
    }))
    .superRefine((c, context) => {
      const above = (cap: number, path: (string | number)[]): void => {
        if (cap > c.total)
          context.addIssue({
            code: 'custom',
            path,
            message: `${cap} is above total ${c.total}, so it is never reached: raise total or lower the cap`,
          });
      };
      above(c.perFunction, ['perFunction']);
      c.functions.forEach((rule, index) => above(rule.max, ['functions', index, 'max']));
    })
    .prefault({}),
  invokeTimeoutMs: z.number().int().min(1).max(MAX_DEADLINE_MS).default(60_000),
  functionTimeouts: z
    .array(
      z.strictObject({
        functions: functionPatterns,
        qualifiers: qualifierPatterns.optional(),
        timeoutMs: z.number().int().min(1).max(MAX_DEADLINE_MS),
      }),
    )
    .default([]),
  invokeMaxAttempts: z.number().int().min(1).max(10).default(3),
  maxBatchSize: z.number().int().min(1).max(10_000).default(100),
  rateLimit: z.strictObject({ operations: z.number().int().min(1), perSeconds: z.number().int().min(1) }).optional(),
  clientContext: z
    .strictObject({
      policy: z.enum(['pass', 'drop', 'sign'], { error: 'must be pass, drop or sign' }),
      secret: z.string().min(32, 'a signing secret must be at least 32 characters').optional(),
    })
    .refine((c) => c.policy !== 'sign' || c.secret !== undefined, 'policy sign needs a secret the functions also know')
    .prefault({ policy: 'pass' }),
  limits: z
    .strictObject({
      maxDepth: z.number().int().min(1).default(10),
      maxIntrospectionDepth: z.number().int().min(1).default(20),
      maxAliases: z.number().int().min(0).default(15),
      maxTokens: z.number().int().min(100).default(5000),
      maxCost: z.number().int().min(1).default(10_000),
      invocationCost: z.number().int().min(0).default(10),
    })
    .prefault({}),
  maxRequestBodyBytes: z
    .number()
    .int()
    .min(1024)
    .default(16 * 1024 * 1024),
  graphiql: z.boolean().optional(),
  dashboard: z.boolean().optional(),
  activityLogSize: z.number().int().min(0).max(100_000).default(200),
  destinations: z
    .strictObject({
      path: z
        .string()
        .regex(/^\/[\w\-/]*$/, 'must be a URL path such as /lambda-destinations')
        .default('/lambda-destinations'),
      secret: z.string().min(16, 'must be at least 16 characters').optional(),
    })
    .prefault({}),
  invocationTtlMs: z.number().int().min(1000).default(86_400_000),
  asyncRecords: z
    .strictObject({
      // Node's timers take at most 2^31-1 ms (24.8 days); a week is far beyond anything Lambda allows.
      expireAfterMs: z.number().int().min(1).max(WEEK_MS).optional(),
      unknownIdWaitMs: z.number().int().min(1).max(WEEK_MS).optional(),
    })
    .prefault({}),
  catalog: z.strictObject({ cacheTtlMs: z.number().int().min(0).max(WEEK_MS).default(5000) }).prefault({}),
  idempotencyTtlMs: z.number().int().min(1000).default(86_400_000),
  shutdownGraceMs: z.number().int().min(0).default(30_000),
  redis: z
    .strictObject({
      url: z.string().regex(/^(?:rediss?:\/\/|\/)/, 'must be a redis:// or rediss:// URL, or the path of a Unix socket'),
      keyPrefix: z.string().default(DEFAULT_KEY_PREFIX),
    })
    .optional(),
  tracing: z
    .strictObject({
      serviceName: z.string().min(1).optional(),
      otlpEndpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://collector:4318/v1/traces' }).optional(),
      otlpHeaders: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  persistedOperations: z
    .strictObject({
      manifest: z.string().min(1, 'must be the path of a persisted-operations manifest (JSON)'),
      allowArbitraryOperations: z.boolean().default(false),
    })
    .optional(),
  typedFields: typedFieldsSchema.optional(),
  multipartSubscriptions: z.strictObject({ heartbeatIntervalMs: z.number().int().min(1).max(600_000).default(5000) }).prefault({}),
  streaming: z
    .strictObject({
      coalesceBytes: z.number().int().min(0).max(MAX_COALESCE_BYTES).default(0),
      coalesceMs: z.number().int().min(0).max(MAX_COALESCE_MS).default(0),
      joinAvailableBytes: z.number().int().min(0).max(MAX_COALESCE_BYTES).default(DEFAULT_JOIN_AVAILABLE_BYTES),
    })
    .prefault({}),
});

/** A manifest: document text by sha256 hash (64 hex digits; GraphQL Code Generator prefixes `sha256:`). */
const manifestSchema = z.record(z.string(), z.string().min(1, 'documents must not be empty'));
const MANIFEST_HASH = /^(?:sha256:)?[0-9a-f]{64}$/;

/** A configuration value that cannot be used; the message names the key and the value. */
export class GatewayConfigError extends Error {
  override readonly name = 'GatewayConfigError';
}

/** Options, or a schema wrapped in them, down to what is wrapped. */
function unwrapped(type: z.ZodType): z.ZodType {
  let inner = type;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault)
    inner = inner.unwrap() as z.ZodType;
  return inner;
}

interface ObjectAt {
  readonly object: z.ZodObject;
  /** When a discriminated union chose it: the discriminator and its value, and the other members. */
  readonly union: { readonly discriminator: string; readonly chosen: unknown; readonly others: readonly z.ZodObject[] } | undefined;
}

/** The object schema that judged the value at `path` of `input`, following the member a discriminated union chose. */
function objectAt(root: z.ZodType, path: readonly PropertyKey[], input: unknown): ObjectAt | undefined {
  let type = unwrapped(root);
  let value = input;
  for (let depth = 0; ; depth += 1) {
    let union: ObjectAt['union'];
    if (type instanceof z.ZodDiscriminatedUnion) {
      const discriminator = type.def.discriminator;
      const chosen = (value as Record<string, unknown> | undefined)?.[discriminator];
      const members = type.options.filter((option): option is z.ZodObject => option instanceof z.ZodObject);
      const member = members.find((option) => {
        const literal: unknown = option.shape[discriminator];
        return literal instanceof z.ZodLiteral && literal.value === chosen;
      });
      if (member === undefined) return undefined;
      union = { discriminator, chosen, others: members.filter((option) => option !== member) };
      type = member;
    }
    if (depth === path.length) return type instanceof z.ZodObject ? { object: type, union } : undefined;
    const segment = path[depth];
    if (type instanceof z.ZodObject && typeof segment === 'string' && segment in type.shape)
      type = unwrapped(type.shape[segment] as z.ZodType);
    else if (type instanceof z.ZodArray && typeof segment === 'number') type = unwrapped(type.element as z.ZodType);
    else return undefined;
    value = (value as Record<PropertyKey, unknown> | undefined)?.[segment];
  }
}

/**
 * `lambda.endpoint: not a setting of lambda with kind "aws", which takes kind, region; endpoint
 * belongs to kind "endpoint"`: a key the schema does not know, with
 * what that place does take, so a misplaced key is found as fast as a misspelt one.
 */
function unknownKeyLines(issue: z.core.$ZodIssueUnrecognizedKeys, input: unknown): string[] {
  const at = objectAt(schema, issue.path, input);
  const where = issue.path.map(String).join('.');
  const union = at?.union;
  const place = union === undefined ? where || 'the configuration' : `${where} with ${union.discriminator} ${JSON.stringify(union.chosen)}`;
  const takes = at === undefined ? '' : ` of ${place}, which takes ${Object.keys(at.object.shape).join(', ')}`;
  return issue.keys.map((key) => {
    // The union members that do take this key: `endpoint belongs to kind "endpoint"`.
    const owners = (union?.others ?? [])
      .filter((other) => key in other.shape)
      .map((other) => JSON.stringify((other.shape[union?.discriminator ?? ''] as z.ZodLiteral).value));
    const belongs = owners.length === 0 ? '' : `; ${key} belongs to ${union?.discriminator ?? ''} ${owners.join(' or ')}`;
    // No value: a stray key may be a misspelt secret (`sercet`), and its name is enough to find it.
    return `  - ${where === '' ? key : `${where}.${key}`}: not a setting${takes}${belongs}`;
  });
}

export function resolveGatewayConfig(options: GatewayOptions = {}): ResolvedGatewayConfig {
  const parsed = schema.safeParse(options, { reportInput: true });
  if (!parsed.success) {
    const lines = parsed.error.issues.flatMap((issue) => {
      if (issue.code === 'unrecognized_keys') return unknownKeyLines(issue, options);
      // A rule across several keys gets the whole object as input: its message names the keys,
      // and the object may hold secrets.
      const got = issue.code === 'custom' ? '' : quotedValue(issue.input);
      return [`  - ${issueKey(issue.path)}: ${issue.message}${got}`];
    });
    throw new GatewayConfigError(`invalid gateway configuration\n${lines.join('\n')}`);
  }
  const { lambda, destinations, graphiql, dashboard, introspection, access, cors, allowedHosts, host, typedFields, ...rest } = parsed.data;
  const production = rest.mode === 'production';
  if (production && access.allow === undefined) {
    throw new GatewayConfigError(
      'invalid gateway configuration\n  - access.allow: production mode will not start without a list of the functions it may invoke ' +
        `(got none); for example access: { allow: [{ functions: ['orders-*'], invocationTypes: ['RequestResponse'] }] }`,
    );
  }
  let target: ResolvedLambdaTarget;
  if (lambda.kind === 'endpoint') {
    const local = lambda.local ?? isLoopbackHostname(new URL(lambda.endpoint).hostname);
    const placeholderCredentials = local && lambda.credentials === undefined;
    target = {
      kind: 'endpoint',
      endpoint: lambda.endpoint,
      region: lambda.region,
      credentials: placeholderCredentials ? PLACEHOLDER_CREDENTIALS : lambda.credentials,
      placeholderCredentials,
      local,
    };
  } else if (lambda.kind === 'local') {
    // Production serves what was deployed: code changing under a running gateway is not a release.
    if (production && lambda.watch === true) {
      throw new GatewayConfigError(
        'invalid gateway configuration\n  - lambda.watch: production mode never reloads functions on edit (got true); remove it, or use mode: development',
      );
    }
    target = { kind: 'local', functions: lambda.functions, region: LOCAL_REGION, watch: lambda.watch ?? !production };
  } else {
    target = lambda;
  }
  return {
    ...rest,
    // Development stays on this machine; production serves the network (behind a load balancer).
    host: host ?? (production ? '0.0.0.0' : '127.0.0.1'),
    cors:
      cors.origins === undefined
        ? { origins: [], loopback: !production, any: false }
        : { origins: cors.origins.filter((origin) => origin !== '*'), loopback: false, any: cors.origins.includes('*') },
    allowedHosts:
      allowedHosts === undefined
        ? production
          ? 'any'
          : []
        : allowedHosts.includes('*')
          ? 'any'
          : allowedHosts.map((name) => name.toLowerCase()),
    access: { allow: access.allow },
    graphiql: graphiql ?? !production,
    dashboard: dashboard ?? !production,
    introspection: introspection ?? !production,
    redis: rest.redis,
    asyncRecords: { expireAfterMs: rest.asyncRecords.expireAfterMs, unknownIdWaitMs: rest.asyncRecords.unknownIdWaitMs },
    catalog: { cacheTtlMs: rest.catalog.cacheTtlMs },
    tracing: rest.tracing,
    auth: rest.auth,
    rateLimit: rest.rateLimit,
    clientContext: { policy: rest.clientContext.policy, secret: rest.clientContext.secret ?? '' },
    lambda: target,
    concurrency: { ...rest.concurrency, reservedFromLambda: rest.concurrency.reservedFromLambda ?? target.kind === 'aws' },
    destinations: { path: destinations.path, secret: destinations.secret ?? randomBytes(24).toString('base64url') },
    typedFields: loadTypedFields(typedFields ?? (lambda.kind === 'local' && lambda.functions === DEMO_FUNCTIONS ? DEMO_TYPED_FIELDS : {})),
    persistedOperations:
      rest.persistedOperations === undefined
        ? undefined
        : loadManifest(rest.persistedOperations.manifest, rest.persistedOperations.allowArbitraryOperations),
  };
}

/** Reads every JSON Schema document the typed fields name, once, at start (paths are absolute or from the working directory). */
function loadTypedFields(typedFields: TypedFieldsOptions): ResolvedTypedFields {
  try {
    return resolveTypedFields(typedFields, process.cwd());
  } catch (error) {
    if (error instanceof TypedFieldsError) throw typedFieldsConfigError(error);
    throw error;
  }
}

/** A typed-field declaration that cannot be served, in the configuration's error style. */
export function typedFieldsConfigError(error: TypedFieldsError): GatewayConfigError {
  return new GatewayConfigError(`invalid gateway configuration\n${error.problems.map((problem) => `  - ${problem}`).join('\n')}`);
}

/** Reads and checks the manifest once, at start: a bad one stops the gateway, naming the problem. */
function loadManifest(manifest: string, allowArbitraryOperations: boolean): PersistedOperationsConfig & { manifest: string } {
  const fail = (problem: string): never => {
    throw new GatewayConfigError(
      `invalid gateway configuration\n  - persistedOperations.manifest: ${problem} (got ${JSON.stringify(manifest)})`,
    );
  };
  let text = '';
  try {
    text = readFileSync(manifest, 'utf8');
  } catch (error) {
    fail(`cannot be read: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    fail('is not JSON');
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success)
    fail(`is not a manifest of sha256 hashes to documents: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  const badKey = Object.keys(parsed.data ?? {}).find((hash) => !MANIFEST_HASH.test(hash));
  if (badKey !== undefined) fail(`is not a manifest of sha256 hashes to documents: ${JSON.stringify(badKey)} is not a hex sha256 hash`);
  return {
    manifest,
    allowArbitraryOperations,
    operations: new Map(Object.entries(parsed.data ?? {}).map(([hash, document]) => [bareHash(hash), document])),
  };
}

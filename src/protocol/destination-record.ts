/**
 * Lambda destination records, in the shape AWS sends to OnSuccess/OnFailure destinations
 * (lambda-invoke-spec.md §6.2). One definition for both sides of the wire: the local Lambda builds
 * and sends them (src/local-lambda/destinations.ts), the gateway parses them as they arrive: the
 * bare record (from the built-in local Lambda, a Lambda destination or an SQS message body) or
 * wrapped in an EventBridge event (`detail`). Parsed strictly: a malformed record is refused whole,
 * never half-applied.
 */
import { z } from 'zod';
import { issueKey } from './zod-issues.ts';

export const DESTINATION_CONDITIONS = ['Success', 'RetriesExhausted', 'EventAgeExceeded', 'ZeroReservedConcurrency'] as const;

const recordSchema = z.object({
  version: z.string(),
  timestamp: z.string(),
  requestContext: z.object({
    requestId: z.string().min(1),
    // The local Lambda always qualifies it with the executed version (`:$LATEST` or a number).
    functionArn: z.string().regex(/^arn:[^:]+:lambda:[^:]+:\d{12}:function:[^:]+(?::[^:]+)?$/, 'must be a Lambda function ARN'),
    condition: z.enum(DESTINATION_CONDITIONS),
    approximateInvokeCount: z.number().int().min(0),
  }),
  requestPayload: z.unknown(),
  // Absent when the function never ran (ZeroReservedConcurrency, or too old before any attempt).
  // Wider than what the local Lambda writes (200, 'Unhandled'): the gateway takes AWS's records too.
  responseContext: z
    .object({
      statusCode: z.number().int(),
      executedVersion: z.string(),
      functionError: z.string().optional(),
    })
    .optional(),
  responsePayload: z.unknown().optional(),
});

const eventBridgeSchema = z.object({
  source: z.string(),
  'detail-type': z.string(),
  detail: recordSchema,
});

export type DestinationRecord = z.infer<typeof recordSchema>;
export type DestinationCondition = (typeof DESTINATION_CONDITIONS)[number];

/** A record that cannot be used, with the reason for the 400 answer. */
export class MalformedDestinationRecordError extends Error {
  override readonly name = 'MalformedDestinationRecordError';
}

export function parseDestinationRecord(body: unknown): DestinationRecord {
  const envelope = typeof body === 'object' && body !== null && 'detail' in body ? eventBridgeSchema.safeParse(body) : undefined;
  if (envelope?.success) return envelope.data.detail;
  const bare = recordSchema.safeParse(body);
  if (bare.success) return bare.data;
  const issues = (envelope?.error ?? bare.error).issues;
  throw new MalformedDestinationRecordError(
    `not a Lambda destination record: ${issues.map((i) => `${issueKey(i.path)}: ${i.message}`).join('; ')}`,
  );
}

/** `arn:aws:lambda:us-east-1:123456789012:function:echo:1` → `{ name: 'echo', qualifier: '1' }`. */
export function functionOfArn(arn: string): { name: string; qualifier: string | undefined } {
  const [, , , , , , name = '', qualifier] = arn.split(':');
  return { name, qualifier };
}

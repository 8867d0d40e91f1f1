/**
 * The destination record is one wire type: what the local Lambda builds, the gateway's parser
 * takes as it is, bare or inside an EventBridge event; anything else is refused whole.
 */
import { describe, expect, it } from 'vitest';
import { destinationRecord } from '../../src/local-lambda/destinations.ts';
import { functionOfArn, MalformedDestinationRecordError, parseDestinationRecord } from '../../src/protocol/destination-record.ts';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:echo:$LATEST';

describe('destination records', () => {
  it('parses a success record the local Lambda builds, unchanged', () => {
    const record = destinationRecord({
      requestId: 'r-1',
      functionArn: ARN,
      condition: 'Success',
      attempts: 1,
      requestPayload: { hello: 'world' },
      response: { executedVersion: '$LATEST', failed: false, payload: { ok: true } },
    });
    expect(parseDestinationRecord(JSON.parse(JSON.stringify(record)))).toEqual(record);
  });

  it('parses a failure record, and one of a function that never ran (no response context)', () => {
    const failed = destinationRecord({
      requestId: 'r-2',
      functionArn: ARN,
      condition: 'RetriesExhausted',
      attempts: 3,
      requestPayload: {},
      response: { executedVersion: '$LATEST', failed: true, payload: { errorType: 'Error', errorMessage: 'boom' } },
    });
    expect(parseDestinationRecord(failed).responseContext?.functionError).toBe('Unhandled');
    const neverRan = destinationRecord({
      requestId: 'r-3',
      functionArn: ARN,
      condition: 'ZeroReservedConcurrency',
      attempts: 0,
      requestPayload: {},
      response: undefined,
    });
    expect(parseDestinationRecord(neverRan)).toEqual(neverRan);
    expect('responseContext' in neverRan).toBe(false);
  });

  it('unwraps an EventBridge event', () => {
    const record = destinationRecord({
      requestId: 'r-4',
      functionArn: ARN,
      condition: 'Success',
      attempts: 1,
      requestPayload: null,
      response: undefined,
    });
    expect(
      parseDestinationRecord({ source: 'lambda', 'detail-type': 'Lambda Function Invocation Result - Success', detail: record }),
    ).toEqual(record);
  });

  it('refuses a malformed record, naming the fields at fault', () => {
    const record = destinationRecord({
      requestId: 'r-5',
      functionArn: ARN,
      condition: 'Success',
      attempts: 1,
      requestPayload: null,
      response: undefined,
    });
    const bad = { ...record, requestContext: { ...record.requestContext, functionArn: 'not an arn', condition: 'Maybe' } };
    expect(() => parseDestinationRecord(bad)).toThrow(MalformedDestinationRecordError);
    expect(() => parseDestinationRecord(bad)).toThrow(
      /requestContext\.functionArn: must be a Lambda function ARN; requestContext\.condition: /,
    );
  });

  it('reads the function and qualifier out of an ARN', () => {
    expect(functionOfArn('arn:aws:lambda:us-east-1:123456789012:function:echo:1')).toEqual({ name: 'echo', qualifier: '1' });
    expect(functionOfArn('arn:aws:lambda:us-east-1:123456789012:function:echo')).toEqual({ name: 'echo', qualifier: undefined });
  });
});

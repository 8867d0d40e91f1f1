/**
 * `validateRequestLine` and `functionArn`: every name form Invoke accepts, and the exact texts AWS
 * answers for the ones it refuses (docs/lambda-invoke-spec.md §1.1, §3.1).
 */
import { describe, expect, it } from 'vitest';
import { functionArn, InvokeRequestError, type InvokeRequestLine, validateRequestLine } from '../../src/protocol/function-name.ts';

/** The pattern AWS quotes in its ValidationException for `functionName`. */
const NAME_PATTERN = String.raw`(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?`;
const QUALIFIER_PATTERN = String.raw`\$(LATEST(\.PUBLISHED)?)|[a-zA-Z0-9-_$]+`;
const DERIVED_QUALIFIER_MISMATCH = 'The derived qualifier from the function name does not match the specified qualifier.';

function line(functionName: string, extra: Partial<InvokeRequestLine> = {}): InvokeRequestLine {
  return { functionName, qualifier: null, invocationType: undefined, logType: undefined, ...extra };
}

/** Runs `fn`, which must throw an InvokeRequestError, and returns it. */
function wireError(fn: () => unknown): InvokeRequestError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvokeRequestError);
    return error as InvokeRequestError;
  }
  throw new Error('expected an InvokeRequestError, nothing was thrown');
}

function patternViolation(value: string): string {
  return `Value '${value}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${NAME_PATTERN}`;
}

function expectValidation(input: InvokeRequestLine, message: string): void {
  const error = wireError(() => validateRequestLine(input));
  expect(error.code).toBe('ValidationException');
  expect(error.message).toBe(message);
  expect(error.members.length).toBe(Number(/^(\d+) validation errors? detected/.exec(message)?.[1]));
}

describe('validateRequestLine: accepted name forms', () => {
  it.each([
    ['bare name', 'my-fn', { name: 'my-fn', qualifier: undefined, region: undefined, account: undefined }],
    ['name with dots and underscores', 'my_fn.v2', { name: 'my_fn.v2', qualifier: undefined, region: undefined, account: undefined }],
    ['name:alias', 'my-fn:live', { name: 'my-fn', qualifier: 'live', region: undefined, account: undefined }],
    ['name:version', 'my-fn:12', { name: 'my-fn', qualifier: '12', region: undefined, account: undefined }],
    ['name:$LATEST', 'my-fn:$LATEST', { name: 'my-fn', qualifier: '$LATEST', region: undefined, account: undefined }],
    [
      'name:$LATEST.PUBLISHED',
      'my-fn:$LATEST.PUBLISHED',
      { name: 'my-fn', qualifier: '$LATEST.PUBLISHED', region: undefined, account: undefined },
    ],
    ['partial ARN', '123456789012:function:x', { name: 'x', qualifier: undefined, region: undefined, account: '123456789012' }],
    [
      'partial ARN with qualifier',
      '123456789012:function:x:prod',
      { name: 'x', qualifier: 'prod', region: undefined, account: '123456789012' },
    ],
    ['region-only partial ARN', 'us-east-1:function:x', { name: 'x', qualifier: undefined, region: 'us-east-1', account: undefined }],
    [
      'region and account partial ARN',
      'eu-west-2:123456789012:function:x:3',
      { name: 'x', qualifier: '3', region: 'eu-west-2', account: '123456789012' },
    ],
    ['account without "function:"', '123456789012:x', { name: 'x', qualifier: undefined, region: undefined, account: '123456789012' }],
    [
      'full ARN',
      'arn:aws:lambda:us-east-1:123456789012:function:my-fn',
      { name: 'my-fn', qualifier: undefined, region: 'us-east-1', account: '123456789012' },
    ],
    [
      'full ARN with alias',
      'arn:aws:lambda:us-east-1:123456789012:function:my-fn:live',
      { name: 'my-fn', qualifier: 'live', region: 'us-east-1', account: '123456789012' },
    ],
    [
      'full ARN with $LATEST',
      'arn:aws:lambda:us-east-1:123456789012:function:my-fn:$LATEST',
      { name: 'my-fn', qualifier: '$LATEST', region: 'us-east-1', account: '123456789012' },
    ],
    [
      'GovCloud full ARN',
      'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:my-fn:2',
      { name: 'my-fn', qualifier: '2', region: 'us-gov-west-1', account: '123456789012' },
    ],
    // AWS looks an incomplete ARN up as a function called `function` (404, not a validation error).
    [
      'incomplete ARN',
      'arn:aws:lambda:us-east-1:123456789012:function',
      { name: 'function', qualifier: undefined, region: 'us-east-1', account: '123456789012' },
    ],
  ])('%s: %s', (_label, functionName, target) => {
    expect(validateRequestLine(line(functionName))).toStrictEqual({
      target,
      invocationType: 'RequestResponse',
      logType: 'None',
    });
  });

  it('accepts a 65-character bare name (AWS answers 404 for it, not a ValidationException)', () => {
    const name = 'a'.repeat(65);
    expect(validateRequestLine(line(name)).target).toStrictEqual({ name, qualifier: undefined, region: undefined, account: undefined });
  });

  it('accepts a 256-character name (the length limit applies to the whole label)', () => {
    const name = 'a'.repeat(256);
    expect(validateRequestLine(line(name)).target.name).toBe(name);
  });

  it('takes the qualifier from the Qualifier query when the name has none', () => {
    expect(validateRequestLine(line('my-fn', { qualifier: '$LATEST' })).target.qualifier).toBe('$LATEST');
    expect(validateRequestLine(line('my-fn', { qualifier: 'live' })).target.qualifier).toBe('live');
    expect(validateRequestLine(line('my-fn', { qualifier: '7' })).target.qualifier).toBe('7');
  });

  it('accepts the same qualifier in the name and in the query', () => {
    expect(validateRequestLine(line('my-fn:live', { qualifier: 'live' })).target).toStrictEqual({
      name: 'my-fn',
      qualifier: 'live',
      region: undefined,
      account: undefined,
    });
    expect(
      validateRequestLine(line('arn:aws:lambda:us-east-1:123456789012:function:my-fn:$LATEST', { qualifier: '$LATEST' })).target.qualifier,
    ).toBe('$LATEST');
  });

  it.each([
    ['RequestResponse', 'None'],
    ['Event', 'None'],
    ['DryRun', 'Tail'],
    ['RequestResponse', 'Tail'],
  ])('accepts invocation type %s with log type %s', (invocationType, logType) => {
    const validated = validateRequestLine(line('my-fn', { invocationType, logType }));
    expect(validated.invocationType).toBe(invocationType);
    expect(validated.logType).toBe(logType);
  });
});

describe('validateRequestLine: ValidationException texts', () => {
  it.each([
    ['bad characters', 'bad name!'],
    ['a wildcard', 'my-fn*'],
    ['a non-lambda ARN', 'arn:aws:s3:::my-bucket'],
    ['a non-lambda service in a full ARN', 'arn:aws:sqs:us-east-1:123456789012:function:my-fn'],
    ['two qualifiers', 'my-fn:1:2'],
    ['a misspelt $LATEST', 'my-fn:$LATES'],
    ['an ARN without region', 'arn:aws:lambda::123456789012:function:my-fn'],
    ['an ARN without account', 'arn:aws:lambda:us-east-1::function:my-fn'],
    ['an 11-digit account', 'arn:aws:lambda:us-east-1:12345678901:function:my-fn'],
    ['a bad region', 'arn:aws:lambda:useast1:123456789012:function:my-fn'],
  ])('refuses %s: %s', (_label, functionName) => {
    expectValidation(line(functionName), `1 validation error detected: ${patternViolation(functionName)}`);
  });

  it('refuses a qualifier with bad characters', () => {
    expectValidation(
      line('my-fn', { qualifier: 'invalid!' }),
      `1 validation error detected: Value 'invalid!' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ${QUALIFIER_PATTERN}`,
    );
  });

  it('refuses a 129-character qualifier and accepts 128', () => {
    const long = 'q'.repeat(129);
    expectValidation(
      line('my-fn', { qualifier: long }),
      `1 validation error detected: Value '${long}' at 'qualifier' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
    expect(validateRequestLine(line('my-fn', { qualifier: 'q'.repeat(128) })).target.qualifier).toBe('q'.repeat(128));
  });

  it('refuses an empty qualifier', () => {
    expectValidation(
      line('my-fn', { qualifier: '' }),
      `1 validation error detected: Value '' at 'qualifier' failed to satisfy constraint: Member must have length greater than or equal to 1`,
    );
  });

  it('refuses a 257-character name', () => {
    const long = 'n'.repeat(257);
    expectValidation(
      line(long),
      `1 validation error detected: Value '${long}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 256`,
    );
  });

  it('refuses an unknown invocation type', () => {
    expectValidation(
      line('my-fn', { invocationType: 'Foo' }),
      `1 validation error detected: Value 'Foo' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
    );
  });

  it('refuses an unknown log type', () => {
    expectValidation(
      line('my-fn', { logType: 'Full' }),
      `1 validation error detected: Value 'Full' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]`,
    );
  });

  it('lists two violations in one message', () => {
    const name = 'arn:aws:lambda:us-east-1:123456789012:function:my-fn';
    const long = 'q'.repeat(129);
    expectValidation(
      line('bad name!', { qualifier: long }),
      `2 validation errors detected: ${patternViolation('bad name!')}; ` +
        `Value '${long}' at 'qualifier' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
    expectValidation(
      line(name, { invocationType: 'Foo', logType: 'Full' }),
      `2 validation errors detected: ` +
        `Value 'Foo' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]; ` +
        `Value 'Full' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]`,
    );
  });

  it('lists a too-long name that also breaks the pattern as two violations', () => {
    const long = `${'n'.repeat(256)}!`;
    expectValidation(
      line(long),
      `2 validation errors detected: ` +
        `Value '${long}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 256; ` +
        patternViolation(long),
    );
  });
});

describe('validateRequestLine: derived qualifier', () => {
  it.each([
    ['name:alias', 'my-fn:live', '1'],
    ['ARN with $LATEST', 'arn:aws:lambda:us-east-1:123456789012:function:my-fn:$LATEST', '1'],
    ['name:version', 'my-fn:2', '$LATEST'],
  ])('refuses a %s whose qualifier differs from the Qualifier query', (_label, functionName, qualifier) => {
    const error = wireError(() => validateRequestLine(line(functionName, { qualifier })));
    expect(error.code).toBe('InvalidParameterValueException');
    expect(error.message).toBe(DERIVED_QUALIFIER_MISMATCH);
    expect(error.members).toEqual(['qualifier']);
  });

  it('reports validation errors before a qualifier conflict', () => {
    const error = wireError(() => validateRequestLine(line('my-fn:live', { qualifier: 'invalid!' })));
    expect(error.code).toBe('ValidationException');
  });
});

describe('functionArn', () => {
  it('builds an unqualified ARN', () => {
    expect(functionArn('us-east-1', '123456789012', 'echo')).toBe('arn:aws:lambda:us-east-1:123456789012:function:echo');
  });

  it('appends a qualifier', () => {
    expect(functionArn('eu-west-1', '210987654321', 'echo', '$LATEST')).toBe('arn:aws:lambda:eu-west-1:210987654321:function:echo:$LATEST');
    expect(functionArn('us-east-1', '123456789012', 'echo', 'live')).toBe('arn:aws:lambda:us-east-1:123456789012:function:echo:live');
    expect(functionArn('us-east-1', '123456789012', 'echo', '2')).toBe('arn:aws:lambda:us-east-1:123456789012:function:echo:2');
  });

  it('round-trips through validateRequestLine', () => {
    const arn = functionArn('ap-southeast-2', '123456789012', 'my-fn', 'prod');
    expect(validateRequestLine(line(arn)).target).toStrictEqual({
      name: 'my-fn',
      qualifier: 'prod',
      region: 'ap-southeast-2',
      account: '123456789012',
    });
  });
});

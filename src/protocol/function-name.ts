/**
 * Parsing and validation of Invoke's `FunctionName` and `Qualifier`, with the exact texts AWS
 * answers (docs/lambda-invoke-spec.md §1.1 and §3.1). The local Lambda answers with them; the gateway
 * checks the same rules before it calls Lambda at all.
 */

/** A request line Lambda refuses; `code` is the AWS error name it answers with. */
export class InvokeRequestError extends Error {
  override readonly name = 'InvokeRequestError';
  readonly code: 'ValidationException' | 'InvalidParameterValueException';
  /** The members at fault (`functionName`, `qualifier`, `invocationType`, `logType`). */
  readonly members: readonly string[];

  constructor(code: InvokeRequestError['code'], message: string, members: readonly string[]) {
    super(message);
    this.code = code;
    this.members = members;
  }
}

const REGION = String.raw`(?:eusc-)?[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d`;

/** An AWS region name (`us-east-1`, `us-gov-west-1`, `eusc-de-east-1`), as the configurations check it. */
export const REGION_PATTERN = new RegExp(`^${REGION}$`);

/**
 * The service model's pattern: a full ARN must carry both region and account; a partial ARN may
 * omit either. Named groups so the parser reads the parts directly.
 */
const FUNCTION_NAME_PATTERN = new RegExp(
  String.raw`^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:(?<arnRegion>${REGION}):(?<arnAccount>\d{12}):` +
    String.raw`|(?:(?<region>${REGION}):)?(?:(?<account>\d{12}):)?)` +
    String.raw`(?:function:)?(?<name>[a-zA-Z0-9\-_.]+)(?::(?<qualifier>\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9\-_]+))?$`,
);

/**
 * The pattern AWS quotes in its ValidationException text. It differs slightly from the one it
 * enforces (it would allow an ARN without region), but clients compare texts, so we quote it.
 */
const FUNCTION_NAME_PATTERN_TEXT = String.raw`(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?`;

const QUALIFIER_PATTERN = /^(?:\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9\-_$]+)$/;
const QUALIFIER_PATTERN_TEXT = String.raw`\$(LATEST(\.PUBLISHED)?)|[a-zA-Z0-9-_$]+`;

const MAX_FUNCTION_NAME_LENGTH = 256;
const MAX_QUALIFIER_LENGTH = 128;

export const INVOCATION_TYPES = ['Event', 'RequestResponse', 'DryRun'] as const;
export type InvocationType = (typeof INVOCATION_TYPES)[number];
export const LOG_TYPES = ['None', 'Tail'] as const;
export type LogType = (typeof LOG_TYPES)[number];

export interface InvokeTarget {
  /** The bare function name. */
  readonly name: string;
  /** From the name (`fn:q`, ARN suffix) or the `Qualifier` query; undefined means `$LATEST`. */
  readonly qualifier: string | undefined;
  /** Region named by an ARN, if any. */
  readonly region: string | undefined;
  /** Account named by an ARN, if any. */
  readonly account: string | undefined;
}

export interface InvokeRequestLine {
  readonly functionName: string;
  readonly qualifier: string | null;
  readonly invocationType: string | undefined;
  readonly logType: string | undefined;
}

export interface ValidatedRequestLine {
  readonly target: InvokeTarget;
  readonly invocationType: InvocationType;
  readonly logType: LogType;
}

/**
 * Validates everything Invoke takes outside the body, collecting every violation into one
 * `ValidationException` the way AWS does ("2 validation errors detected: a; b").
 */
export function validateRequestLine(line: InvokeRequestLine): ValidatedRequestLine {
  const violations: string[] = [];
  const members: string[] = [];
  const violation = (value: string, member: string, constraint: string): void => {
    violations.push(`Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`);
    members.push(member);
  };

  const { functionName, qualifier } = line;
  if (functionName.length > MAX_FUNCTION_NAME_LENGTH) {
    violation(functionName, 'functionName', `Member must have length less than or equal to ${MAX_FUNCTION_NAME_LENGTH}`);
  }
  const match = FUNCTION_NAME_PATTERN.exec(functionName);
  if (match === null) {
    violation(functionName, 'functionName', `Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN_TEXT}`);
  }
  if (qualifier !== null) {
    if (qualifier.length > MAX_QUALIFIER_LENGTH || qualifier.length === 0) {
      violation(
        qualifier,
        'qualifier',
        qualifier.length === 0
          ? 'Member must have length greater than or equal to 1'
          : `Member must have length less than or equal to ${MAX_QUALIFIER_LENGTH}`,
      );
    } else if (!QUALIFIER_PATTERN.test(qualifier)) {
      violation(qualifier, 'qualifier', `Member must satisfy regular expression pattern: ${QUALIFIER_PATTERN_TEXT}`);
    }
  }
  const invocationType = line.invocationType ?? 'RequestResponse';
  if (!isOneOf(INVOCATION_TYPES, invocationType)) {
    violation(invocationType, 'invocationType', `Member must satisfy enum value set: [${INVOCATION_TYPES.join(', ')}]`);
  }
  const logType = line.logType ?? 'None';
  if (!isOneOf(LOG_TYPES, logType)) {
    violation(logType, 'logType', `Member must satisfy enum value set: [${LOG_TYPES.join(', ')}]`);
  }

  // Each of the last three conditions has already added its violation; they are here so the
  // compiler knows the values are valid below.
  if (violations.length > 0 || match === null || !isOneOf(INVOCATION_TYPES, invocationType) || !isOneOf(LOG_TYPES, logType)) {
    const count = violations.length === 1 ? '1 validation error' : `${violations.length} validation errors`;
    throw new InvokeRequestError('ValidationException', `${count} detected: ${violations.join('; ')}`, members);
  }

  const groups = match.groups ?? {};
  const derived = groups.qualifier;
  if (derived !== undefined && qualifier !== null && derived !== qualifier) {
    throw new InvokeRequestError(
      'InvalidParameterValueException',
      'The derived qualifier from the function name does not match the specified qualifier.',
      ['qualifier'],
    );
  }
  return {
    target: {
      name: groups.name ?? '',
      qualifier: derived ?? qualifier ?? undefined,
      region: groups.arnRegion ?? groups.region,
      account: groups.arnAccount ?? groups.account,
    },
    invocationType,
    logType,
  };
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/** `arn:aws:lambda:<region>:<account>:function:<name>` with an optional qualifier suffix. */
export function functionArn(region: string, account: string, name: string, qualifier?: string): string {
  const base = `arn:aws:lambda:${region}:${account}:function:${name}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}

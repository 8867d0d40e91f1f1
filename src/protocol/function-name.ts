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
/** InvokeWithResponseStream's `ResponseStreamingInvocationType`: no `Event`. */
export const STREAM_INVOCATION_TYPES = ['RequestResponse', 'DryRun'] as const;
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
export function validateRequestLine(
  line: InvokeRequestLine,
  invocationTypes: readonly InvocationType[] = INVOCATION_TYPES,
): ValidatedRequestLine {
  const violations = new Violations();
  const match = checkTarget(line.functionName, line.qualifier, violations);
  const invocationType = line.invocationType ?? 'RequestResponse';
  if (!isOneOf(invocationTypes, invocationType)) {
    violations.add(invocationType, 'invocationType', `Member must satisfy enum value set: [${invocationTypes.join(', ')}]`);
  }
  const logType = line.logType ?? 'None';
  if (!isOneOf(LOG_TYPES, logType)) {
    violations.add(logType, 'logType', `Member must satisfy enum value set: [${LOG_TYPES.join(', ')}]`);
  }
  // Each of the last three conditions has already added its violation; they are here so the
  // compiler knows the values are valid below.
  if (violations.found || match === null || !isOneOf(invocationTypes, invocationType) || !isOneOf(LOG_TYPES, logType)) {
    throw violations.error();
  }
  return { target: targetOf(match, line.qualifier), invocationType, logType };
}

/**
 * Validates the `FunctionName` label and `Qualifier` query of the catalog operations
 * (GetFunction, GetFunctionConfiguration, ListVersionsByFunction, ListAliases, GetAlias): the same
 * pattern, lengths and texts as Invoke's.
 */
export function validateFunctionTarget(functionName: string, qualifier: string | null): InvokeTarget {
  const violations = new Violations();
  const match = checkTarget(functionName, qualifier, violations);
  if (violations.found || match === null) throw violations.error();
  return targetOf(match, qualifier);
}

const ALIAS_NAME_PATTERN = /^(?!\d+$)[a-zA-Z0-9\-_]+$/;
const ALIAS_NAME_PATTERN_TEXT = '(?!^[0-9]+$)([a-zA-Z0-9-_]+)';
const MAX_ALIAS_NAME_LENGTH = 128;

/** GetAlias's `Name` label, with the model's pattern and length (an all-digit name reads as a version). */
export function validateAliasName(name: string): string {
  const violations = new Violations();
  if (name.length > MAX_ALIAS_NAME_LENGTH) {
    violations.add(name, 'name', `Member must have length less than or equal to ${MAX_ALIAS_NAME_LENGTH}`);
  }
  if (!ALIAS_NAME_PATTERN.test(name)) {
    violations.add(name, 'name', `Member must satisfy regular expression pattern: ${ALIAS_NAME_PATTERN_TEXT}`);
  }
  if (violations.found) throw violations.error();
  return name;
}

/** A path label as the SDKs send it: percent-encoded (`arn%3Aaws%3Alambda…`, `echo%3Alive`). */
export function decodeNameLabel(label: string): string {
  try {
    return decodeURIComponent(label);
  } catch {
    return label;
  }
}

/** Constraint violations, reported together in AWS's words. */
class Violations {
  readonly #messages: string[] = [];
  readonly #members: string[] = [];

  add(value: string, member: string, constraint: string): void {
    this.#messages.push(`Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`);
    this.#members.push(member);
  }

  get found(): boolean {
    return this.#messages.length > 0;
  }

  /** One ValidationException listing them all: "2 validation errors detected: a; b". */
  error(): InvokeRequestError {
    const count = this.#messages.length === 1 ? '1 validation error' : `${this.#messages.length} validation errors`;
    return new InvokeRequestError('ValidationException', `${count} detected: ${this.#messages.join('; ')}`, this.#members);
  }
}

function checkTarget(functionName: string, qualifier: string | null, violations: Violations): RegExpExecArray | null {
  if (functionName.length > MAX_FUNCTION_NAME_LENGTH) {
    violations.add(functionName, 'functionName', `Member must have length less than or equal to ${MAX_FUNCTION_NAME_LENGTH}`);
  }
  const match = FUNCTION_NAME_PATTERN.exec(functionName);
  if (match === null) {
    violations.add(functionName, 'functionName', `Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN_TEXT}`);
  }
  if (qualifier !== null) {
    if (qualifier.length > MAX_QUALIFIER_LENGTH || qualifier.length === 0) {
      violations.add(
        qualifier,
        'qualifier',
        qualifier.length === 0
          ? 'Member must have length greater than or equal to 1'
          : `Member must have length less than or equal to ${MAX_QUALIFIER_LENGTH}`,
      );
    } else if (!QUALIFIER_PATTERN.test(qualifier)) {
      violations.add(qualifier, 'qualifier', `Member must satisfy regular expression pattern: ${QUALIFIER_PATTERN_TEXT}`);
    }
  }
  return match;
}

/** The parts of a name that passed the pattern; a qualifier both in the name and given apart must agree. */
function targetOf(match: RegExpExecArray, qualifier: string | null): InvokeTarget {
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
    name: groups.name ?? '',
    qualifier: derived ?? qualifier ?? undefined,
    region: groups.arnRegion ?? groups.region,
    account: groups.arnAccount ?? groups.account,
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

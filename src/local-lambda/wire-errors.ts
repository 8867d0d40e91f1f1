/**
 * Every error the local Lambda puts on the wire, in one table.
 *
 * The AWS SDKs pick the exception class from the `x-amzn-ErrorType` header and read the message
 * from `message` *or* `Message`, whichever the service model declares for that shape, so the
 * name, the HTTP status and the casing of the message key must all match AWS exactly
 * (docs/lambda-invoke-spec.md §1.3 and §2). `Type` is `User` for client faults, as recorded.
 */

interface WireErrorShape {
  readonly status: number;
  /** Casing of the message member in the service model. */
  readonly messageKey: 'message' | 'Message';
  /** Value of the `Type` member; `undefined` when AWS sends none. */
  readonly type: 'User' | 'Service' | undefined;
}

export const WIRE_ERRORS = {
  // Not in the Invoke model, but what AWS really returns for regex/length/enum violations.
  ValidationException: { status: 400, messageKey: 'message', type: undefined },
  InvalidParameterValueException: { status: 400, messageKey: 'message', type: 'User' },
  InvalidRequestContentException: { status: 400, messageKey: 'message', type: 'User' },
  ResourceNotFoundException: { status: 404, messageKey: 'Message', type: 'User' },
  // Not in the Invoke model either; a raw capture shows only `Message` in the body.
  RequestEntityTooLargeException: { status: 413, messageKey: 'Message', type: undefined },
  UnsupportedMediaTypeException: { status: 415, messageKey: 'message', type: 'User' },
  TooManyRequestsException: { status: 429, messageKey: 'message', type: 'User' },
  ServiceException: { status: 500, messageKey: 'Message', type: 'Service' },
  // Routes Lambda does not have; the name is what AWS's front end uses for unknown operations.
  UnknownOperationException: { status: 404, messageKey: 'message', type: undefined },
} as const satisfies Record<string, WireErrorShape>;

export type WireErrorName = keyof typeof WIRE_ERRORS;

/** The reasons Lambda gives with a 429 (`ThrottleReason` in the model). */
export type ThrottleReason = 'ConcurrentInvocationLimitExceeded' | 'ReservedFunctionConcurrentInvocationLimitExceeded';

/** An error that is answered as a Lambda service error response. */
export class LambdaWireError extends Error {
  override readonly name: WireErrorName;
  /** Modelled extra members, copied into the body (`Reason` for throttles). */
  readonly extra: Readonly<Record<string, string>>;
  /** Extra response headers (`Retry-After` for throttles). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(name: WireErrorName, message: string, options: { extra?: Record<string, string>; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = name;
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }

  get status(): number {
    return WIRE_ERRORS[this.name].status;
  }

  /** The JSON body, with the message under the key casing the model declares. */
  body(): Record<string, string> {
    const shape: WireErrorShape = WIRE_ERRORS[this.name];
    const body: Record<string, string> = { ...this.extra };
    if (shape.type !== undefined) body.Type = shape.type;
    body[shape.messageKey] = this.message;
    return body;
  }
}

export function throttled(reason: ThrottleReason): LambdaWireError {
  return new LambdaWireError('TooManyRequestsException', 'Rate Exceeded.', {
    extra: { Reason: reason },
    // Modelled as `retryAfterSeconds`; the SDKs surface it. A local environment frees up fast.
    headers: { 'Retry-After': '1' },
  });
}

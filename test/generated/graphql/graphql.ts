/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** The part of `InvokeFunctionInput` an error is about. */
export type InvocationInputField =
  | 'CLIENT_CONTEXT'
  | 'FUNCTION_NAME'
  | 'PAYLOAD'
  | 'QUALIFIER';

export type InvocationType =
  /** Check that the function exists and may be invoked; run nothing (HTTP 204). */
  | 'DRY_RUN'
  /** Queue and return at once (HTTP 202); follow it by its request id. */
  | 'EVENT'
  /** Run and wait for the result (HTTP 200). */
  | 'REQUEST_RESPONSE';

export type InvokeFunctionInput = {
  /** A JSON object handed to the function as `context.clientContext` (synchronous only); at most 3,583 bytes once base64-encoded. */
  clientContext?: unknown;
  /** A name (`echo`), `name:qualifier`, a partial ARN (`123456789012:function:echo`) or a full ARN. */
  functionName: string;
  invocationType?: InvocationType | null | undefined;
  logType?: LogType | null | undefined;
  /** The event, any JSON value; omitted means `{}`. */
  payload?: unknown;
  /** A version number, an alias or `$LATEST`. */
  qualifier?: string | null | undefined;
};

export type LambdaTargetKind =
  /** AWS Lambda. */
  | 'AWS'
  /** Another Lambda-compatible endpoint. */
  | 'ENDPOINT'
  /** The built-in local Lambda, in the gateway’s process. */
  | 'LOCAL';

export type LogType =
  | 'NONE'
  /** Return the last 4 KB of the execution log (synchronous invocations only). */
  | 'TAIL';

/** A part of the request that Lambda limits in size. */
export type SizeLimitedPart =
  /** 3,583 bytes once base64-encoded. */
  | 'CLIENT_CONTEXT'
  /** 6,291,456 bytes synchronous, 1,048,576 bytes EVENT. */
  | 'PAYLOAD';

type InvokeResultFields_FunctionNotFoundError_Fragment = { __typename: 'FunctionNotFoundError', message: string, functionName: string, qualifier: string | null };

type InvokeResultFields_InvalidInvocationError_Fragment = { __typename: 'InvalidInvocationError', message: string, code: string, field: InvocationInputField | null };

type InvokeResultFields_Invocation_Fragment = { __typename: 'Invocation', requestId: string, functionName: string, qualifier: string | null, invocationType: InvocationType, statusCode: number, executedVersion: string | null, payloadJson: unknown, payloadText: string | null, payloadSizeBytes: number | null, logResult: string | null, decodedLogs: string | null, durationMs: number, functionError: { kind: string, errorType: string | null, errorMessage: string | null, stackTrace: Array<string> } | null, report: { durationMs: number, billedDurationMs: number, memorySizeMb: number, maxMemoryUsedMb: number, initDurationMs: number | null, status: string | null, errorType: string | null } | null };

type InvokeResultFields_InvocationTimeoutError_Fragment = { __typename: 'InvocationTimeoutError', message: string, timeoutMs: number };

type InvokeResultFields_LambdaServiceError_Fragment = { __typename: 'LambdaServiceError', message: string, code: string, httpStatus: number | null, lambdaRequestId: string | null };

type InvokeResultFields_PayloadTooLargeError_Fragment = { __typename: 'PayloadTooLargeError', message: string, part: SizeLimitedPart, limitBytes: number, sizeBytes: number, excessBytes: number };

type InvokeResultFields_ThrottledError_Fragment = { __typename: 'ThrottledError', message: string, reason: string | null, retryAfterSeconds: number | null };

export type InvokeResultFieldsFragment =
  | InvokeResultFields_FunctionNotFoundError_Fragment
  | InvokeResultFields_InvalidInvocationError_Fragment
  | InvokeResultFields_Invocation_Fragment
  | InvokeResultFields_InvocationTimeoutError_Fragment
  | InvokeResultFields_LambdaServiceError_Fragment
  | InvokeResultFields_PayloadTooLargeError_Fragment
  | InvokeResultFields_ThrottledError_Fragment
;

export type InvokeFunctionMutationVariables = Exact<{
  input: InvokeFunctionInput;
}>;


export type InvokeFunctionMutation = { invokeFunction:
    | { __typename: 'FunctionNotFoundError', message: string, functionName: string, qualifier: string | null }
    | { __typename: 'InvalidInvocationError', message: string, code: string, field: InvocationInputField | null }
    | { __typename: 'Invocation', requestId: string, functionName: string, qualifier: string | null, invocationType: InvocationType, statusCode: number, executedVersion: string | null, payloadJson: unknown, payloadText: string | null, payloadSizeBytes: number | null, logResult: string | null, decodedLogs: string | null, durationMs: number, functionError: { kind: string, errorType: string | null, errorMessage: string | null, stackTrace: Array<string> } | null, report: { durationMs: number, billedDurationMs: number, memorySizeMb: number, maxMemoryUsedMb: number, initDurationMs: number | null, status: string | null, errorType: string | null } | null }
    | { __typename: 'InvocationTimeoutError', message: string, timeoutMs: number }
    | { __typename: 'LambdaServiceError', message: string, code: string, httpStatus: number | null, lambdaRequestId: string | null }
    | { __typename: 'PayloadTooLargeError', message: string, part: SizeLimitedPart, limitBytes: number, sizeBytes: number, excessBytes: number }
    | { __typename: 'ThrottledError', message: string, reason: string | null, retryAfterSeconds: number | null }
   };

export type InvokeFunctionsMutationVariables = Exact<{
  inputs: Array<InvokeFunctionInput> | InvokeFunctionInput;
}>;


export type InvokeFunctionsMutation = { invokeFunctions: Array<
    | { __typename: 'FunctionNotFoundError', message: string, functionName: string, qualifier: string | null }
    | { __typename: 'InvalidInvocationError', message: string, code: string, field: InvocationInputField | null }
    | { __typename: 'Invocation', requestId: string, functionName: string, qualifier: string | null, invocationType: InvocationType, statusCode: number, executedVersion: string | null, payloadJson: unknown, payloadText: string | null, payloadSizeBytes: number | null, logResult: string | null, decodedLogs: string | null, durationMs: number, functionError: { kind: string, errorType: string | null, errorMessage: string | null, stackTrace: Array<string> } | null, report: { durationMs: number, billedDurationMs: number, memorySizeMb: number, maxMemoryUsedMb: number, initDurationMs: number | null, status: string | null, errorType: string | null } | null }
    | { __typename: 'InvocationTimeoutError', message: string, timeoutMs: number }
    | { __typename: 'LambdaServiceError', message: string, code: string, httpStatus: number | null, lambdaRequestId: string | null }
    | { __typename: 'PayloadTooLargeError', message: string, part: SizeLimitedPart, limitBytes: number, sizeBytes: number, excessBytes: number }
    | { __typename: 'ThrottledError', message: string, reason: string | null, retryAfterSeconds: number | null }
  > };

export type GatewayInfoQueryVariables = Exact<{ [key: string]: never; }>;


export type GatewayInfoQuery = { gateway: { lambdaTarget: LambdaTargetKind, region: string, maxBatchSize: number, invokeTimeoutMs: number } };

export const InvokeResultFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"InvokeResultFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvokeFunctionResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Invocation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"Field","name":{"kind":"Name","value":"functionName"}},{"kind":"Field","name":{"kind":"Name","value":"qualifier"}},{"kind":"Field","name":{"kind":"Name","value":"invocationType"}},{"kind":"Field","name":{"kind":"Name","value":"statusCode"}},{"kind":"Field","name":{"kind":"Name","value":"executedVersion"}},{"kind":"Field","name":{"kind":"Name","value":"payloadJson"}},{"kind":"Field","name":{"kind":"Name","value":"payloadText"}},{"kind":"Field","name":{"kind":"Name","value":"payloadSizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"logResult"}},{"kind":"Field","name":{"kind":"Name","value":"decodedLogs"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"functionError"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"errorType"}},{"kind":"Field","name":{"kind":"Name","value":"errorMessage"}},{"kind":"Field","name":{"kind":"Name","value":"stackTrace"}}]}},{"kind":"Field","name":{"kind":"Name","value":"report"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"billedDurationMs"}},{"kind":"Field","name":{"kind":"Name","value":"memorySizeMb"}},{"kind":"Field","name":{"kind":"Name","value":"maxMemoryUsedMb"}},{"kind":"Field","name":{"kind":"Name","value":"initDurationMs"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"errorType"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FunctionNotFoundError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"functionName"}},{"kind":"Field","name":{"kind":"Name","value":"qualifier"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ThrottledError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInvocationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PayloadTooLargeError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"part"}},{"kind":"Field","name":{"kind":"Name","value":"limitBytes"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"excessBytes"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvocationTimeoutError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"timeoutMs"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"LambdaServiceError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"httpStatus"}},{"kind":"Field","name":{"kind":"Name","value":"lambdaRequestId"}}]}}]}}]} as unknown as DocumentNode<InvokeResultFieldsFragment, unknown>;
export const InvokeFunctionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"InvokeFunction"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"InvokeFunctionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"invokeFunction"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"InvokeResultFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"InvokeResultFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvokeFunctionResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Invocation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"Field","name":{"kind":"Name","value":"functionName"}},{"kind":"Field","name":{"kind":"Name","value":"qualifier"}},{"kind":"Field","name":{"kind":"Name","value":"invocationType"}},{"kind":"Field","name":{"kind":"Name","value":"statusCode"}},{"kind":"Field","name":{"kind":"Name","value":"executedVersion"}},{"kind":"Field","name":{"kind":"Name","value":"payloadJson"}},{"kind":"Field","name":{"kind":"Name","value":"payloadText"}},{"kind":"Field","name":{"kind":"Name","value":"payloadSizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"logResult"}},{"kind":"Field","name":{"kind":"Name","value":"decodedLogs"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"functionError"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"errorType"}},{"kind":"Field","name":{"kind":"Name","value":"errorMessage"}},{"kind":"Field","name":{"kind":"Name","value":"stackTrace"}}]}},{"kind":"Field","name":{"kind":"Name","value":"report"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"billedDurationMs"}},{"kind":"Field","name":{"kind":"Name","value":"memorySizeMb"}},{"kind":"Field","name":{"kind":"Name","value":"maxMemoryUsedMb"}},{"kind":"Field","name":{"kind":"Name","value":"initDurationMs"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"errorType"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FunctionNotFoundError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"functionName"}},{"kind":"Field","name":{"kind":"Name","value":"qualifier"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ThrottledError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInvocationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PayloadTooLargeError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"part"}},{"kind":"Field","name":{"kind":"Name","value":"limitBytes"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"excessBytes"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvocationTimeoutError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"timeoutMs"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"LambdaServiceError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"httpStatus"}},{"kind":"Field","name":{"kind":"Name","value":"lambdaRequestId"}}]}}]}}]} as unknown as DocumentNode<InvokeFunctionMutation, InvokeFunctionMutationVariables>;
export const InvokeFunctionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"InvokeFunctions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"inputs"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"InvokeFunctionInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"invokeFunctions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"inputs"},"value":{"kind":"Variable","name":{"kind":"Name","value":"inputs"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"InvokeResultFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"InvokeResultFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvokeFunctionResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Invocation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"Field","name":{"kind":"Name","value":"functionName"}},{"kind":"Field","name":{"kind":"Name","value":"qualifier"}},{"kind":"Field","name":{"kind":"Name","value":"invocationType"}},{"kind":"Field","name":{"kind":"Name","value":"statusCode"}},{"kind":"Field","name":{"kind":"Name","value":"executedVersion"}},{"kind":"Field","name":{"kind":"Name","value":"payloadJson"}},{"kind":"Field","name":{"kind":"Name","value":"payloadText"}},{"kind":"Field","name":{"kind":"Name","value":"payloadSizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"logResult"}},{"kind":"Field","name":{"kind":"Name","value":"decodedLogs"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"functionError"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"errorType"}},{"kind":"Field","name":{"kind":"Name","value":"errorMessage"}},{"kind":"Field","name":{"kind":"Name","value":"stackTrace"}}]}},{"kind":"Field","name":{"kind":"Name","value":"report"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"billedDurationMs"}},{"kind":"Field","name":{"kind":"Name","value":"memorySizeMb"}},{"kind":"Field","name":{"kind":"Name","value":"maxMemoryUsedMb"}},{"kind":"Field","name":{"kind":"Name","value":"initDurationMs"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"errorType"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FunctionNotFoundError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"functionName"}},{"kind":"Field","name":{"kind":"Name","value":"qualifier"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ThrottledError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInvocationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PayloadTooLargeError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"part"}},{"kind":"Field","name":{"kind":"Name","value":"limitBytes"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"excessBytes"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvocationTimeoutError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"timeoutMs"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"LambdaServiceError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"httpStatus"}},{"kind":"Field","name":{"kind":"Name","value":"lambdaRequestId"}}]}}]}}]} as unknown as DocumentNode<InvokeFunctionsMutation, InvokeFunctionsMutationVariables>;
export const GatewayInfoDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GatewayInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"gateway"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lambdaTarget"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"maxBatchSize"}},{"kind":"Field","name":{"kind":"Name","value":"invokeTimeoutMs"}}]}}]}}]} as unknown as DocumentNode<GatewayInfoQuery, GatewayInfoQueryVariables>;
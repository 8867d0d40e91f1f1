/**
 * What to say when the SDK's default credential chain finds no credentials for the target: which
 * target needed them and every way to give some, so the fix is in the message — the SDK's own
 * ("Could not load credentials from any providers") names neither.
 */
export function missingCredentialsMessage(endpoint: string | undefined, region: string, cause: string): string {
  const target = endpoint === undefined ? `AWS Lambda in ${region}` : `the Lambda endpoint ${endpoint}`;
  const ways =
    endpoint === undefined
      ? 'or run where a role provides them (ECS, EC2, Lambda)'
      : 'or give lambda.credentials in the configuration; an endpoint that checks no signatures (a local Lambda, LocalStack) ' +
        'can be marked lambda.local: true (--lambda-endpoint-local) to be signed with placeholder credentials';
  return (
    `No AWS credentials to sign requests to ${target}: the SDK's default chain found none (${cause}). ` +
    `Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, in the gateway's environment, ${ways}`
  );
}

/** The error the SDK's credential providers raise when none has credentials (by name, as every SDK error is told apart). */
export function isMissingCredentials(error: unknown): error is Error {
  return error instanceof Error && error.name === 'CredentialsProviderError';
}

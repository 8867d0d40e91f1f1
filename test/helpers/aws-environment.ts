/**
 * An environment in which the SDK's default credential chain finds nothing, and says so at once:
 * no AWS_* variables, shared config files that do not exist, and the instance metadata service
 * off — so no test ever sends a request off this machine looking for credentials.
 */
export function environmentWithoutAwsCredentials(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(base).filter(([name]) => !name.startsWith('AWS_')));
  return {
    ...env,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/aws/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws/credentials',
  };
}

/** Makes this process's environment so until the returned function puts it back. */
export function clearAwsCredentials(): () => void {
  const saved = { ...process.env };
  const cleared = environmentWithoutAwsCredentials(saved);
  for (const name of Object.keys(process.env)) if (!(name in cleared)) delete process.env[name];
  Object.assign(process.env, cleared);
  return () => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  };
}

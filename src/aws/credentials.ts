import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export type CredentialSource = 'environment' | 'profile' | 'container' | 'web-identity';

function profileExists(file: string, profile: string, configStyle: boolean): boolean {
  if (!existsSync(file)) return false;
  const header = configStyle && profile !== 'default' ? `[profile ${profile}]` : `[${profile}]`;
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .some((line) => line.trim() === header);
}

/**
 * Finds AWS credentials the way `MODEL_PROVIDER=auto` needs: quickly and without the network.
 * The EC2 instance-metadata endpoint is deliberately not tried (it stalls for seconds off EC2);
 * on ECS the container credentials variables are set, and on EC2 set MODEL_PROVIDER=bedrock.
 */
export function detectCredentialSource(env: NodeJS.ProcessEnv = process.env): CredentialSource | null {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return 'environment';
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return 'container';
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) return 'web-identity';
  const profile = env.AWS_PROFILE ?? env.AWS_DEFAULT_PROFILE ?? 'default';
  const home = homedir();
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(home, '.aws', 'credentials');
  const configFile = env.AWS_CONFIG_FILE ?? path.join(home, '.aws', 'config');
  if (profileExists(credentialsFile, profile, false) || profileExists(configFile, profile, true)) return 'profile';
  return null;
}

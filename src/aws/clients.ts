import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockAgentClient } from '@aws-sdk/client-bedrock-agent';
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';

interface Destroyable {
  destroy(): void;
}

/** Retry and timeout policy per client; see docs/operations.md for why each is set this way. */
export const CLIENT_POLICY = {
  // Streams are long-lived; the SDK's standard mode retries only before the first byte.
  bedrockRuntime: { maxAttempts: 3, retryMode: 'standard' },
  bedrockAgentRuntime: { maxAttempts: 3, retryMode: 'standard' },
  // Control-plane and monitoring reads are cheap and run in the background: adaptive mode backs off under throttling.
  bedrock: { maxAttempts: 3, retryMode: 'adaptive' },
  bedrockAgent: { maxAttempts: 3, retryMode: 'adaptive' },
  cloudwatch: { maxAttempts: 3, retryMode: 'adaptive' },
  sts: { maxAttempts: 2, retryMode: 'standard' },
  secretsManager: { maxAttempts: 3, retryMode: 'standard' },
} as const;

/**
 * One SDK v3 client per service and region, built on first use — never at import time.
 * No endpoint is set here, so AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> keep working,
 * as do the standard credential chain and AWS_PROFILE.
 */
export class AwsClients {
  private readonly cache = new Map<string, Destroyable>();

  private get<T extends Destroyable>(service: string, region: string, build: () => T): T {
    const key = `${service}@${region}`;
    const found = this.cache.get(key);
    if (found) return found as T;
    const client = build();
    this.cache.set(key, client);
    return client;
  }

  bedrockRuntime(region: string): BedrockRuntimeClient {
    return this.get('bedrock-runtime', region, () => new BedrockRuntimeClient({ region, ...CLIENT_POLICY.bedrockRuntime }));
  }

  bedrockAgentRuntime(region: string): BedrockAgentRuntimeClient {
    return this.get('bedrock-agent-runtime', region, () => new BedrockAgentRuntimeClient({ region, ...CLIENT_POLICY.bedrockAgentRuntime }));
  }

  bedrock(region: string): BedrockClient {
    return this.get('bedrock', region, () => new BedrockClient({ region, ...CLIENT_POLICY.bedrock }));
  }

  bedrockAgent(region: string): BedrockAgentClient {
    return this.get('bedrock-agent', region, () => new BedrockAgentClient({ region, ...CLIENT_POLICY.bedrockAgent }));
  }

  cloudwatch(region: string): CloudWatchClient {
    return this.get('cloudwatch', region, () => new CloudWatchClient({ region, ...CLIENT_POLICY.cloudwatch }));
  }

  sts(region: string): STSClient {
    return this.get('sts', region, () => new STSClient({ region, ...CLIENT_POLICY.sts }));
  }

  secretsManager(region: string): SecretsManagerClient {
    return this.get('secrets-manager', region, () => new SecretsManagerClient({ region, ...CLIENT_POLICY.secretsManager }));
  }

  destroy(): void {
    for (const client of this.cache.values()) client.destroy();
    this.cache.clear();
  }
}

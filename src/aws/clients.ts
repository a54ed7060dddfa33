import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';

/**
 * One SDK v3 client per service and region, built on first use — never at import time.
 * No endpoint is set here, so AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> keep working,
 * as do the standard credential chain and AWS_PROFILE.
 */
export class AwsClients {
  private readonly runtime = new Map<string, BedrockRuntimeClient>();
  private readonly agentRuntime = new Map<string, BedrockAgentRuntimeClient>();

  bedrockRuntime(region: string): BedrockRuntimeClient {
    let client = this.runtime.get(region);
    if (!client) {
      // Streams are long-lived; retries only help before the first byte, which the SDK's standard mode handles.
      client = new BedrockRuntimeClient({ region, maxAttempts: 3, retryMode: 'standard' });
      this.runtime.set(region, client);
    }
    return client;
  }

  bedrockAgentRuntime(region: string): BedrockAgentRuntimeClient {
    let client = this.agentRuntime.get(region);
    if (!client) {
      client = new BedrockAgentRuntimeClient({ region, maxAttempts: 3, retryMode: 'standard' });
      this.agentRuntime.set(region, client);
    }
    return client;
  }

  destroy(): void {
    for (const client of [...this.runtime.values(), ...this.agentRuntime.values()]) client.destroy();
    this.runtime.clear();
    this.agentRuntime.clear();
  }
}

import { describe, expect, it } from 'vitest';
import { bedrockError, buildConverseStreamInput } from '../../src/models/bedrock.js';

function sdkError(name: string, message: string, status?: number): Error {
  const error = new Error(message);
  error.name = name;
  if (status !== undefined) Object.assign(error, { $metadata: { httpStatusCode: status } });
  return error;
}

describe('bedrockError', () => {
  const modelId = 'us.amazon.nova-pro-v1:0';

  it.each([
    ['AccessDeniedException', 403, 'denied'],
    ['UnrecognizedClientException', 403, 'denied'],
    ['ExpiredTokenException', 403, 'denied'],
    ['ThrottlingException', 429, 'throttled'],
    ['ServiceQuotaExceededException', 400, 'throttled'],
    ['ValidationException', 400, 'invalid_request'],
    ['ResourceNotFoundException', 404, 'unavailable'],
    ['ModelNotReadyException', 429, 'unavailable'],
    ['ModelTimeoutException', 408, 'unavailable'],
    ['ModelStreamErrorException', 424, 'unavailable'],
    ['InternalServerException', 500, 'unavailable'],
    ['ServiceUnavailableException', 503, 'unavailable'],
    ['ModelErrorException', 424, 'model_error'],
    ['SomethingNewException', 409, 'invalid_request'],
    ['SomethingNewFault', 502, 'unavailable'],
  ] as const)('maps %s (%i) to %s and keeps the SDK detail', (name, status, code) => {
    const error = bedrockError(sdkError(name, 'the message', status), { modelId });
    expect(error.code).toBe(code);
    expect(error.detail).toBe(`${name}: the message`);
  });

  it('names the IAM action and both ARNs for a denied profile', () => {
    const error = bedrockError(sdkError('AccessDeniedException', 'nope', 403), { modelId });
    expect(error.message).toContain('bedrock:InvokeModelWithResponseStream');
    expect(error.message).toContain(modelId);
    expect(error.message).toContain('foundation-model ARN of amazon.nova-pro-v1:0');
  });

  it('maps network failures and credential problems', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(bedrockError(refused, { modelId }).code).toBe('unavailable');
    expect(bedrockError(refused, { modelId }).message).toContain('ECONNREFUSED');
    expect(bedrockError(sdkError('CredentialsProviderError', 'Could not load credentials from any providers'), { modelId }).code).toBe(
      'denied',
    );
  });

  it('maps aborts to cancelled, whatever the error looks like', () => {
    expect(bedrockError(sdkError('AbortError', 'Request aborted'), { modelId }).code).toBe('cancelled');
    const controller = new AbortController();
    controller.abort();
    expect(bedrockError(sdkError('InternalServerException', 'x', 500), { modelId, signal: controller.signal }).code).toBe('cancelled');
  });

  it('carries partial usage', () => {
    const usage = { inputTokens: 10, outputTokens: 3, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };
    expect(bedrockError(sdkError('ThrottlingException', 'slow down'), { modelId, partialUsage: usage }).partialUsage).toEqual(usage);
  });

  it('turns the on-demand ValidationException into a profile hint for the client region', () => {
    const message =
      'Invocation of model ID amazon.nova-pro-v1:0 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.';
    const error = bedrockError(sdkError('ValidationException', message, 400), {
      modelId: 'amazon.nova-pro-v1:0',
      region: 'ap-northeast-2',
    });
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('apac.amazon.nova-pro-v1:0');
    expect(error.message).toMatch(/inference profile/);
  });
});

describe('buildConverseStreamInput', () => {
  it('puts the cache point between the static and the dynamic system text', () => {
    const input = buildConverseStreamInput({
      modelId: 'us.amazon.nova-micro-v1:0',
      staticSystem: 'static',
      dynamicSystem: 'dynamic',
      messages: [{ role: 'user', text: 'q' }],
      inference: { maxTokens: 100, temperature: 0.5 },
      signal: new AbortController().signal,
    });
    expect(input).toEqual({
      modelId: 'us.amazon.nova-micro-v1:0',
      system: [{ text: 'static' }, { cachePoint: { type: 'default' } }, { text: 'dynamic' }],
      messages: [{ role: 'user', content: [{ text: 'q' }] }],
      inferenceConfig: { maxTokens: 100, temperature: 0.5 },
    });
  });
});

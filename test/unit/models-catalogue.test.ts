import { describe, expect, it } from 'vitest';
import {
  baseModelId,
  displayName,
  findModel,
  geographyForRegion,
  inferenceProfileFor,
  isInferenceProfileId,
} from '../../src/models/catalogue.js';

describe('model catalogue', () => {
  it('recognises profile ids and ARNs', () => {
    expect(isInferenceProfileId('us.amazon.nova-pro-v1:0')).toBe(true);
    expect(isInferenceProfileId('eu.amazon.nova-micro-v1:0')).toBe(true);
    expect(isInferenceProfileId('apac.amazon.nova-lite-v1:0')).toBe(true);
    expect(isInferenceProfileId('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0')).toBe(true);
    expect(isInferenceProfileId('amazon.nova-pro-v1:0')).toBe(false);
    expect(isInferenceProfileId('qwen2.5:7b')).toBe(false);
  });

  it('finds the base id behind any form of id', () => {
    expect(baseModelId('us.amazon.nova-pro-v1:0')).toBe('amazon.nova-pro-v1:0');
    expect(baseModelId('apac.amazon.nova-micro-v1:0')).toBe('amazon.nova-micro-v1:0');
    expect(baseModelId('amazon.nova-lite-v1:0')).toBe('amazon.nova-lite-v1:0');
    expect(baseModelId('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-premier-v1:0')).toBe(
      'amazon.nova-premier-v1:0',
    );
    expect(baseModelId('arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0')).toBe('amazon.nova-pro-v1:0');
  });

  it('names known models and leaves unknown ids alone', () => {
    expect(findModel('us.amazon.nova-micro-v1:0')?.size).toBe('micro');
    expect(displayName('amazon.nova-pro-v1:0')).toBe('Amazon Nova Pro');
    expect(displayName('eu.amazon.nova-lite-v1:0')).toBe('Amazon Nova Lite (eu profile)');
    expect(displayName('llama3.1:8b')).toBe('llama3.1:8b');
  });

  it('suggests the profile of the region geography', () => {
    expect(geographyForRegion('us-west-2')).toBe('us');
    expect(geographyForRegion('eu-central-1')).toBe('eu');
    expect(geographyForRegion('ap-northeast-2')).toBe('apac');
    expect(geographyForRegion('sa-east-1')).toBeUndefined();
    expect(inferenceProfileFor('amazon.nova-pro-v1:0', 'ap-northeast-2')).toBe('apac.amazon.nova-pro-v1:0');
    expect(inferenceProfileFor('amazon.nova-micro-v1:0', 'eu-west-1')).toBe('eu.amazon.nova-micro-v1:0');
    expect(inferenceProfileFor('amazon.nova-micro-v1:0', undefined)).toBe('us.amazon.nova-micro-v1:0');
    expect(inferenceProfileFor('eu.amazon.nova-micro-v1:0', 'us-east-1')).toBe('us.amazon.nova-micro-v1:0');
  });
});

import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../src/config/settings.js';

describe('settings', () => {
  it('defaults to the embedded mode on 127.0.0.1:8080', () => {
    const s = loadSettings({ env: {} });
    expect(s.host).toBe('127.0.0.1');
    expect(s.port).toBe(8080);
    expect(s.modelProvider).toBe('auto');
    expect(s.fastModelId).toBe('us.amazon.nova-micro-v1:0');
    expect(s.detailModelId).toBe('us.amazon.nova-pro-v1:0');
    expect(s.bedrockRegion).toBe('us-east-1');
    expect(s.inference.overview).toEqual({ maxTokens: 1024, temperature: 0.3 });
    expect(s.inference.detail).toEqual({ maxTokens: 2048, temperature: 0.5 });
  });

  it('falls back from BEDROCK_REGION to AWS_REGION', () => {
    expect(loadSettings({ env: { AWS_REGION: 'eu-west-1' } }).bedrockRegion).toBe('eu-west-1');
    expect(loadSettings({ env: { AWS_REGION: 'eu-west-1', BEDROCK_REGION: 'us-west-2' } }).bedrockRegion).toBe('us-west-2');
  });

  it('reports one line per bad key with the value and what is allowed', () => {
    let caught: unknown;
    try {
      loadSettings({ env: { PORT: 'eighty', MODEL_PROVIDER: 'gpt', STAFF_LANGUAGE: 'fr' } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SettingsError);
    const problems = (caught as SettingsError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.find((p) => p.startsWith('PORT="eighty"'))).toBeDefined();
    expect(problems.find((p) => p.startsWith('MODEL_PROVIDER="gpt"'))).toMatch(/auto.*bedrock.*openai.*offline/);
    expect(problems.find((p) => p.startsWith('STAFF_LANGUAGE="fr"'))).toMatch(/ko/);
  });

  it('lets the environment win over extra (secret) settings', () => {
    const s = loadSettings({ env: { PORT: '9000' }, extra: { PORT: '7000', STAFF_LANGUAGE: 'ja' } });
    expect(s.port).toBe(9000);
    expect(s.staffLanguage).toBe('ja');
  });
});

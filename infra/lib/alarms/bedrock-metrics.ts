import { type Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { bedrockPrice } from '../../config/bedrock-prices.js';

/** The account-wide AWS/Bedrock metric of one invoked model id (an inference-profile id is its own ModelId). */
export function bedrockMetric(metricName: string, modelId: string, statistic: string, period: Duration): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Bedrock',
    metricName,
    dimensionsMap: { ModelId: modelId },
    statistic,
    period,
    label: `${metricName} ${modelId}`,
  });
}

/** Input + output tokens of one model over `period`. */
export function tokensExpression(modelId: string, period: Duration): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: 'FILL(tin, 0) + FILL(tout, 0)',
    usingMetrics: {
      tin: bedrockMetric('InputTokenCount', modelId, 'Sum', period),
      tout: bedrockMetric('OutputTokenCount', modelId, 'Sum', period),
    },
    period,
    label: `tokens ${modelId}`,
  });
}

/** Prices are written per million tokens with plain decimals (metric math has no exponent notation). */
function decimal(value: number): string {
  return value.toFixed(9).replace(/0+$/, '').replace(/\.$/, '');
}

export interface CostExpression {
  expression: cloudwatch.MathExpression;
  /** Model ids that have no price in the table and are therefore not counted. */
  unpriced: string[];
}

/**
 * Estimated USD over `period` for the given models: Σ tokens × price, from the four token metrics of
 * each model and the price table in infra/config/bedrock-prices.ts. Undefined when no model is priced.
 */
export function costExpression(modelIds: string[], period: Duration): CostExpression | undefined {
  const usingMetrics: Record<string, cloudwatch.IMetric> = {};
  const terms: string[] = [];
  const unpriced: string[] = [];
  modelIds.forEach((modelId, index) => {
    const price = bedrockPrice(modelId);
    if (!price) {
      unpriced.push(modelId);
      return;
    }
    const parts: [string, string, number][] = [
      [`in${index}`, 'InputTokenCount', price.input],
      [`out${index}`, 'OutputTokenCount', price.output],
      [`cr${index}`, 'CacheReadInputTokenCount', price.cacheRead],
      [`cw${index}`, 'CacheWriteInputTokenCount', price.cacheWrite],
    ];
    for (const [id, metricName, perThousand] of parts) {
      usingMetrics[id] = bedrockMetric(metricName, modelId, 'Sum', period);
      terms.push(`FILL(${id}, 0) * ${decimal(perThousand * 1000)}`);
    }
  });
  if (terms.length === 0) return undefined;
  return {
    expression: new cloudwatch.MathExpression({
      expression: `(${terms.join(' + ')}) / 1000000`,
      usingMetrics,
      period,
      label: 'estimated Bedrock cost (USD)',
    }),
    unpriced,
  };
}

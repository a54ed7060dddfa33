import { createRuntime } from '../app/runtime.js';
import { AppError } from '../errors/app-error.js';
import { loadSettingsFromSources } from '../aws/settings-secret.js';
import { isLanguage } from '../lang/languages.js';
import { createLogger } from '../log/logger.js';
import { TranslationError } from '../translate/model-translation.js';
import type { TranslationResult } from '../translate/translator.js';

export interface TranslateCliOptions {
  to: string;
  from: string;
  json: boolean;
}

/**
 * `dualnova translate "text" [--to L] [--from L] [--json]`: the translation on stdout (so it can be
 * piped), the glossary report on stderr. Exit 0 translated, 1 translation failed or unavailable,
 * 2 bad usage.
 */
export async function runTranslate(text: string, options: TranslateCliOptions): Promise<number> {
  for (const [flag, value] of [
    ['--to', options.to],
    ['--from', options.from],
  ] as const) {
    if (value !== 'auto' && !isLanguage(value)) {
      process.stderr.write(`dualnova: ${flag} must be auto, ko, en, ja or zh (got "${value}")\n`);
      return 2;
    }
  }
  const settings = await loadSettingsFromSources();
  const runtime = await createRuntime(settings, createLogger(settings.logLevel === 'info' ? 'warn' : settings.logLevel, process.stderr), {
    background: false,
  });
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  try {
    const result = await runtime.translator.translate({
      text,
      target: options.to === 'auto' || isLanguage(options.to) ? options.to : 'auto',
      source: options.from === 'auto' || isLanguage(options.from) ? options.from : 'auto',
      userId: null,
      signal: controller.signal,
    });
    if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      process.stdout.write(`${result.translatedText}\n`);
      process.stderr.write(describeResult(result));
    }
    return 0;
  } catch (error) {
    if (error instanceof AppError || error instanceof TranslationError) {
      if (options.json) process.stdout.write(`${JSON.stringify({ error: { code: error.code, message: error.message } })}\n`);
      process.stderr.write(`dualnova: ${error.code}: ${error.message}\n`);
      return error instanceof AppError && error.statusCode < 500 ? 2 : 1;
    }
    throw error;
  } finally {
    await runtime.close();
  }
}

export function describeResult(result: TranslationResult): string {
  const lines = [
    `(${result.sourceLanguage} → ${result.targetLanguage} · ${result.model} · ${result.latencyMs} ms${result.costUsd === null ? '' : ` · $${result.costUsd.toFixed(6)}`})`,
  ];
  if (result.glossaryTerms.length > 0) {
    lines.push('Glossary terms:');
    for (const t of result.glossaryTerms) {
      const outcome =
        t.expected === null
          ? `(no ${result.targetLanguage} name in the glossary)`
          : t.rendered === t.expected
            ? `→ ${t.expected}`
            : t.rendered === null
              ? `→ ${t.expected} (not found in the translation)`
              : `→ ${t.rendered} (glossary: ${t.expected})`;
      lines.push(`  ${t.source} ${outcome}`);
    }
  }
  for (const v of result.glossaryViolations) {
    lines.push(
      `warning (glossary): ${v.found === undefined ? `"${v.expected}" is missing` : `"${v.found}" should be "${v.expected}"`} [${v.term}]`,
    );
  }
  return `${lines.join('\n')}\n`;
}

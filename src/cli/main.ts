#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadSettings, SettingsError } from '../config/settings.js';
import { runAsk } from './ask.js';
import { runDoctor } from './doctor.js';
import { runIamPolicy } from './iam-policy.js';
import { runGlossaryCheck, runGlossaryFind } from './glossary.js';
import { runIngest } from './ingest.js';
import { runServe } from './serve.js';
import { runTokens, TOKENS_USAGE } from './tokens.js';
import { ALARMS_USAGE, runAlarms } from './alarms.js';
import { runUsage, USAGE_USAGE } from './usage.js';
import { runTranslate } from './translate.js';

const USAGE = `dualnova — relay answers for a game-support desk

Usage:
  dualnova serve                         start the HTTP server and web app
  dualnova ask "question" [--lang L]     answer one question in the terminal (L: auto|ko|en|ja|zh)
  dualnova ingest DIR                    index the markdown/text documents in DIR into the local knowledge base
${TOKENS_USAGE}
${USAGE_USAGE}
${ALARMS_USAGE}
  dualnova translate "text" [--to L] [--from L] [--json]
                                         translate with the glossary (L: auto|ko|en|ja|zh; auto = staff ⇄ customer language)
  dualnova glossary check [FILE]         validate a glossary file (default GLOSSARY_FILE); exit 1 if unusable
  dualnova glossary find "text" [--file FILE]
                                         list the glossary entries a text mentions
  dualnova doctor [--json] [--strict] [--invoke]
                                         check every dependency once; exit 1 when chat cannot be served
                                         (--invoke: also one 1-token answer per model and one KB search)
  dualnova iam-policy [--account ID] [--metrics-namespace NS] [--statements]
                                         print the least-privilege IAM policy for the current settings

Settings come from environment variables (see README.md), optionally from a JSON file named by SETTINGS_FILE.`;

/** Exit codes: 0 ok, 1 runtime failure, 2 bad usage or invalid settings. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return runServe();
    case 'ask': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { lang: { type: 'string', default: 'auto' } },
      });
      const question = positionals.join(' ').trim();
      if (!question) return usage('ask needs a question in quotes');
      return runAsk(question, values.lang ?? 'auto');
    }
    case 'translate': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          to: { type: 'string', default: 'auto' },
          from: { type: 'string', default: 'auto' },
          json: { type: 'boolean', default: false },
        },
      });
      const text = positionals.join(' ').trim();
      if (!text) return usage('translate needs a text in quotes');
      return runTranslate(text, { to: values.to ?? 'auto', from: values.from ?? 'auto', json: values.json ?? false });
    }
    case 'glossary': {
      const [sub, ...args] = rest;
      const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { file: { type: 'string' } } });
      if (sub === 'check') {
        const file = positionals[0] ?? values.file ?? loadSettings().glossaryFile;
        return runGlossaryCheck(file);
      }
      if (sub === 'find') {
        const text = positionals.join(' ').trim();
        if (!text) return usage('glossary find needs a text in quotes');
        return runGlossaryFind(text, values.file ?? loadSettings().glossaryFile);
      }
      return usage(sub === undefined ? 'glossary needs a subcommand: check or find' : `unknown glossary subcommand "${sub}"`);
    }
    case 'doctor': {
      const { values } = parseArgs({
        args: rest,
        options: {
          json: { type: 'boolean', default: false },
          strict: { type: 'boolean', default: false },
          invoke: { type: 'boolean', default: false },
        },
      });
      return runDoctor({ json: values.json ?? false, strict: values.strict ?? false, invoke: values.invoke ?? false });
    }
    case 'iam-policy': {
      const { values } = parseArgs({
        args: rest,
        options: { account: { type: 'string' }, 'metrics-namespace': { type: 'string' }, statements: { type: 'boolean', default: false } },
      });
      return runIamPolicy({
        ...(values.account === undefined ? {} : { account: values.account }),
        ...(values['metrics-namespace'] === undefined ? {} : { metricsNamespace: values['metrics-namespace'] }),
        statementsOnly: values.statements ?? false,
      });
    }
    case 'tokens':
      return runTokens(rest, usage);
    case 'usage': {
      let parsed;
      try {
        parsed = parseArgs({
          args: rest,
          options: { window: { type: 'string', default: '24h' }, json: { type: 'boolean', default: false }, user: { type: 'string' } },
        });
      } catch (error) {
        return usage(`usage: ${error instanceof Error ? error.message : String(error)}`);
      }
      return runUsage({ window: parsed.values.window ?? '24h', json: parsed.values.json ?? false, user: parsed.values.user });
    }
    case 'alarms':
      return runAlarms(rest, usage);
    case 'ingest': {
      const [dir] = rest;
      if (!dir) return usage('ingest needs a folder');
      return runIngest(dir);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      return usage(`unknown command "${command}"`);
  }
}

function usage(problem: string): number {
  process.stderr.write(`dualnova: ${problem}\n\n${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof SettingsError) {
      process.stderr.write(`dualnova: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`dualnova: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

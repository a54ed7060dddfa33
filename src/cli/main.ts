#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { SettingsError } from '../config/settings.js';
import { runAsk } from './ask.js';
import { runIngest } from './ingest.js';
import { runServe } from './serve.js';

const USAGE = `dualnova — relay answers for a game-support desk

Usage:
  dualnova serve                         start the HTTP server and web app
  dualnova ask "question" [--lang L]     answer one question in the terminal (L: auto|ko|en|ja|zh)
  dualnova ingest DIR                    index the markdown/text documents in DIR into the local knowledge base

Settings come from environment variables (see README.md), optionally from a JSON file named by SETTINGS_FILE.`;

/** Exit codes: 0 ok, 1 runtime failure, 2 bad usage or invalid settings. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return runServe();
    case 'ask': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { lang: { type: 'string', default: 'auto' } } });
      const question = positionals.join(' ').trim();
      if (!question) return usage('ask needs a question in quotes');
      return runAsk(question, values.lang ?? 'auto');
    }
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

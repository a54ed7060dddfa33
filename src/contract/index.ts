/** The wire format of dualnova's HTTP API: the one definition server, web app, CLI, benchmarks and tests share. */
export * from './admin.js';
export * from './chat.js';
export * from './codes.js';
export * from './common.js';
export * from './conversations.js';
export * from './endpoints.js';
export * from './glossary.js';
export * from './languages.js';
export * from './sse.js';
export * from './status.js';
export * from './translate.js';
export * from './usage.js';

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, WARNING_CODES } from '../../src/contract/codes.js';
import { ENDPOINTS } from '../../src/contract/endpoints.js';
import { endpointTable } from '../../src/contract/endpoint-table.js';
import { startApp, type AppServer } from '../helpers/app-server.js';

const DOC = path.resolve('docs/api.md');
const BEGIN =
  '<!-- endpoints:begin (generated from src/contract/endpoints.ts; UPDATE_API_DOC=1 npx vitest run test/integration/openapi.test.ts) -->';
const END = '<!-- endpoints:end -->';

/** `/api/conversations/:id` → `/api/conversations/{id}`, as OpenAPI writes paths. */
const openApiPath = (fastifyPath: string) => fastifyPath.replace(/:(\w+)/g, '{$1}');

describe('GET /api/openapi.json', () => {
  let app: AppServer;
  let document: {
    openapi: string;
    paths: Record<string, Record<string, { responses?: Record<string, unknown>; requestBody?: unknown; parameters?: unknown[] }>>;
  };

  beforeAll(async () => {
    app = await startApp();
    const response = await fetch(`${app.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as typeof document;
  });
  afterAll(() => app.close());

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists every contract endpoint with its request and response schemas, and nothing else', () => {
    const listed = Object.entries(document.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    const expected = Object.values(ENDPOINTS).map((e) => `${e.method} ${openApiPath(e.path)}`);
    expect(listed.sort()).toEqual(expected.sort());
    for (const endpoint of Object.values(ENDPOINTS)) {
      const operation = document.paths[openApiPath(endpoint.path)]?.[endpoint.method.toLowerCase()];
      expect(operation, endpoint.path).toBeDefined();
      expect(Object.keys(operation?.responses ?? {}).sort(), endpoint.path).toEqual(Object.keys(endpoint.response).sort());
      if ('body' in endpoint) expect(operation?.requestBody, `${endpoint.path} body`).toBeDefined();
      if ('params' in endpoint || 'querystring' in endpoint)
        expect(operation?.parameters?.length, `${endpoint.path} parameters`).toBeGreaterThan(0);
    }
  });

  it('documents the chat stream as one union of events', () => {
    const chat = document.paths['/api/chat']?.post?.responses?.['200'] as {
      content: Record<string, { schema: { oneOf?: unknown[]; anyOf?: unknown[] } }>;
    };
    const schema = chat.content['text/event-stream']?.schema;
    expect((schema?.oneOf ?? schema?.anyOf)?.length).toBe(7);
  });

  it('serves a browsable docs page without loosening the content security policy', async () => {
    const page = await fetch(`${app.url}/api/docs/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('swagger-ui-bundle.js');
  });
});

describe('docs/api.md', () => {
  const text = readFileSync(DOC, 'utf8');

  it('carries the endpoint table generated from the contract', () => {
    const table = `${BEGIN}\n${endpointTable()}\n${END}`;
    const current = text.slice(text.indexOf(BEGIN), text.indexOf(END) + END.length);
    if (process.env.UPDATE_API_DOC === '1' && current !== table) {
      const updated = text.includes(BEGIN) ? text.replace(current, table) : text.replace(/\n## /, `\n${table}\n\n## `);
      writeFileSync(DOC, updated);
      return;
    }
    expect(current).toBe(table);
  });

  it('names only routes and codes the contract has', () => {
    const routes = new Set(Object.values(ENDPOINTS).map((e) => `${e.method} ${e.path}`));
    const mentioned = [...text.matchAll(/`(GET|POST|DELETE|PUT|PATCH) (\/[^\s`?]*)/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(mentioned.length).toBeGreaterThan(10);
    expect(mentioned.filter((r) => !routes.has(r))).toEqual([]);
    const codes = new Set<string>([...ERROR_CODES, ...WARNING_CODES]);
    const tableCodes = [...text.matchAll(/^\| \d{3} \| `(\w+)` \|/gm)].map((m) => m[1] ?? '');
    expect(tableCodes.length).toBeGreaterThan(5);
    expect(tableCodes.filter((c) => !codes.has(c))).toEqual([]);
  });
});

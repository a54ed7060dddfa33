import { ENDPOINTS } from './endpoints.js';

const ACCESS = { public: 'anyone', user: 'signed in', admin: 'admins' } as const;

/** The endpoint table of docs/api.md, generated from the contract (a test keeps the file in step). */
export function endpointTable(): string {
  const rows = Object.values(ENDPOINTS).map((e) => {
    const notes = ['metered' in e ? 'rate-limited per user' : '', 'streams' in e ? 'holds a stream slot' : ''].filter(Boolean).join(', ');
    return `| \`${e.method} ${e.path}\` | ${ACCESS[e.access]} | ${e.summary}${notes ? ` (${notes})` : ''} |`;
  });
  return ['| endpoint | who | what |', '|---|---|---|', ...rows].join('\n');
}

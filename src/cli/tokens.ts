import { parseArgs } from 'node:util';
import { loadSettingsFromSources } from '../aws/settings-secret.js';
import { openStore } from '../store/database.js';
import { TokenNameError, TokenRepository, type ApiTokenInfo } from '../store/tokens.js';

export const TOKENS_USAGE = `  dualnova tokens create --name N --role agent|admin
                                         create a bearer API token (AUTH_MODE=token); it is printed once
  dualnova tokens list [--json]          list tokens (names, roles, last use; never the secrets)
  dualnova tokens revoke NAME            revoke a token at once (every instance sharing the database)`;

function table(tokens: ApiTokenInfo[]): string {
  if (tokens.length === 0) return 'No API tokens. Create one with: dualnova tokens create --name NAME --role agent\n';
  const rows = tokens.map((t) => [t.name, t.role, t.revokedAt ? `revoked ${t.revokedAt}` : 'active', t.createdAt, t.lastUsedAt ?? 'never']);
  const head = ['NAME', 'ROLE', 'STATE', 'CREATED', 'LAST USED'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return (
    [head, ...rows]
      .map((r) =>
        r
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

function parseTokenArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: { name: { type: 'string' }, role: { type: 'string' }, json: { type: 'boolean' } },
    });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** `dualnova tokens …`: exit 0 ok, 1 not found / failure, 2 bad usage. Touches only the database. */
export async function runTokens(args: string[], usage: (problem: string) => number): Promise<number> {
  const [sub, ...rest] = args;
  const parsed = parseTokenArgs(rest);
  if (parsed instanceof Error) return usage(`tokens ${sub ?? ''}: ${parsed.message}`);
  const { values, positionals } = parsed;
  if (sub === 'create') {
    if (!values.name) return usage('tokens create needs --name');
    if (values.role !== 'agent' && values.role !== 'admin') return usage('tokens create needs --role agent or --role admin');
  } else if (sub === 'revoke') {
    if (positionals.length !== 1) return usage('tokens revoke needs exactly one token name');
  } else if (sub !== 'list') {
    return usage(sub === undefined ? 'tokens needs a subcommand: create, list or revoke' : `unknown tokens subcommand "${sub}"`);
  }

  // The same sources as `dualnova serve` (incl. DUALNOVA_SETTINGS_SECRET), so tokens land in the database the server uses.
  const settings = await loadSettingsFromSources();
  const store = await openStore({ databaseUrl: settings.databaseUrl, dataDir: settings.dataDir });
  const tokens = new TokenRepository(store.db);
  try {
    switch (sub) {
      case 'create': {
        try {
          const { token, info } = await tokens.create({
            name: values.name as string,
            role: values.role as 'agent' | 'admin',
            createdBy: 'cli',
          });
          process.stdout.write(`${token}\n`);
          process.stderr.write(
            `Created ${info.role} token "${info.name}" in the ${store.kind === 'postgres' ? 'PostgreSQL' : 'SQLite'} database. It is shown only this once; store it now (a password manager or a secret store).\n` +
              `Use it as: Authorization: Bearer <token>   (the server must run with AUTH_MODE=token)\n`,
          );
          if (settings.auth.mode !== 'token')
            process.stderr.write(`Note: AUTH_MODE is ${settings.auth.mode}; tokens are only accepted with AUTH_MODE=token.\n`);
          return 0;
        } catch (error) {
          if (error instanceof TokenNameError) {
            process.stderr.write(`dualnova: ${error.message}\n`);
            return 2;
          }
          throw error;
        }
      }
      case 'revoke': {
        const name = positionals[0] as string;
        if (await tokens.revoke(name)) {
          process.stdout.write(`Revoked token "${name}".\n`);
          return 0;
        }
        process.stderr.write(`dualnova: no active token named "${name}" (see dualnova tokens list)\n`);
        return 1;
      }
      default: {
        const list = await tokens.list();
        process.stdout.write(values.json ? `${JSON.stringify({ tokens: list }, null, 2)}\n` : table(list));
        return 0;
      }
    }
  } finally {
    await store.close();
  }
}

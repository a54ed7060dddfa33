import { NETWORK_CODES } from '../../errors/network.js';

/**
 * Errors that mean "the database cannot be used right now" (connection refused or lost, server
 * shutting down, too many connections, database missing or locked), as opposed to a bug in a
 * query. They become 503 database_unavailable for the request that hit them; the pool opens new
 * connections for later requests, so the process recovers by itself when the database returns.
 */
const PG_UNAVAILABLE_CLASSES = ['08', '53', '57P']; // connection exception, insufficient resources, operator intervention
// database does not exist (dropped/renamed), read-only transaction (a failover demoted the writer)
// insufficient privilege (a REVOKE, a missing grant) and internal errors are the database refusing
// the request, not a bug in the query: the caller gets 503 and the log line carries the SQL state.
const PG_UNAVAILABLE_CODES = new Set(['3D000', '25006', '42501', 'XX000']);
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|PROTOCOL)/;
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
  'the database system is',
  'terminating connection',
  'is not currently accepting connections',
];

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (NETWORK_CODES.has(code) || SQLITE_UNAVAILABLE.test(code) || PG_UNAVAILABLE_CODES.has(code)) return true;
      if (/^[0-9A-Z]{5}$/.test(code) && PG_UNAVAILABLE_CLASSES.some((prefix) => code.startsWith(prefix))) return true;
    }
    if (PG_MESSAGES.some((m) => e instanceof Error && e.message.includes(m))) return true;
  }
  return false;
}

export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is not reachable right now; please try again shortly.';

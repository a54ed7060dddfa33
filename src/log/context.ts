import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request a log line belongs to, for lines written deep in the call stack with the root logger
 * (retrieval, ledger, budget): the server enters it per request, the logger's mixin adds it.
 */
export interface LogContext {
  reqId: string;
  userId?: string;
}

export const logContext = new AsyncLocalStorage<LogContext>();

export interface LinkedAbort {
  readonly signal: AbortSignal;
  /** Stops the call on our side, e.g. when the consumer stopped reading before the end. */
  abort(): void;
  /** Detaches from the parent; call once the call is over, however it ended. */
  detach(): void;
}

/**
 * A child signal that follows `parent` and can also be aborted on its own. Hand-rolled rather than
 * AbortSignal.any() because the listener must be removed when the call ends: the parent can be
 * long-lived (one per HTTP request, shared by several model calls).
 */
export function linkedAbort(parent: AbortSignal): LinkedAbort {
  const controller = new AbortController();
  const follow = (): void => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', follow, { once: true });
  return {
    signal: controller.signal,
    abort: () => controller.abort(),
    detach: () => parent.removeEventListener('abort', follow),
  };
}

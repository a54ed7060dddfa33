import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ApiError, isAbortError } from '../api/client';

export interface Loadable<T> {
  data: T | null;
  /** Error code when the last load failed. */
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads `fetcher` when `key` changes (and on `reload()`), optionally every `refreshMs`.
 * Keeps the previous data while reloading, so lists do not flicker.
 */
export function useApi<T>(key: string, fetcher: (signal: AbortSignal) => Promise<T>, refreshMs?: number): Loadable<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const fetcherRef = useRef(fetcher);
  useLayoutEffect(() => {
    fetcherRef.current = fetcher;
  });

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    fetcherRef
      .current(controller.signal)
      .then((value) => {
        setData(value);
        setError(null);
      })
      .catch((e: unknown) => {
        if (isAbortError(e) || controller.signal.aborted) return;
        setError(e instanceof ApiError ? e.code : 'internal_error');
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [key, tick]);

  useEffect(() => {
    if (!refreshMs) return;
    const timer = setInterval(() => setTick((n) => n + 1), refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}

import { useCallback, useState } from 'react';

/** A string state kept in localStorage (silently per-page when storage is blocked). */
export function useStoredState<T extends string>(key: string, initial: T, isValid: (value: string) => value is T): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(() => {
    try {
      const stored = localStorage.getItem(key);
      if (stored !== null && isValid(stored)) return stored;
    } catch {
      // storage blocked
    }
    return initial;
  });
  const set = useCallback(
    (next: T) => {
      setValue(next);
      try {
        localStorage.setItem(key, next);
      } catch {
        // storage blocked
      }
    },
    [key],
  );
  return [value, set];
}

import { useSyncExternalStore } from 'react';

interface PersistentStore<T extends string> {
  get: () => T;
  set: (value: T) => void;
  subscribe: (listener: () => void) => () => void;
}

/** A string value kept in localStorage, shared by every component that reads it (and by other tabs). */
export function createPersistentStore<T extends string>(
  key: string,
  parse: (raw: string | null) => T,
): PersistentStore<T> {
  const listeners = new Set<() => void>();
  return {
    get: () => parse(localStorage.getItem(key)),
    set: (value) => {
      if (value) localStorage.setItem(key, value);
      else localStorage.removeItem(key);
      listeners.forEach((listener) => listener());
    },
    subscribe: (listener) => {
      const onStorage = (event: StorageEvent) => {
        if (event.key === key) listener();
      };
      listeners.add(listener);
      window.addEventListener('storage', onStorage);
      return () => {
        listeners.delete(listener);
        window.removeEventListener('storage', onStorage);
      };
    },
  };
}

export function usePersistentStore<T extends string>(store: PersistentStore<T>) {
  const value = useSyncExternalStore(store.subscribe, store.get);
  return [value, store.set] as const;
}

/**
 * Autosave in IndexedDB: one key-value store for the pairs table, the ratings
 * and the latest checkpoint, so work survives a reload. IndexedDB works in a
 * worker too: the worker saves and restores the checkpoint itself, so its
 * megabytes never cross to the main thread. Failures (private mode, a full
 * disk) reject with a message; the page keeps working without saving.
 */
const DB = 'heed';
const STORE = 'kv';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(`Cannot open the browser's storage: ${req.error?.message ?? 'unknown error'}`));
  });
}

async function tx<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = f(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result as T);
      req.onerror = () => reject(new Error(`Saving in the browser failed: ${req.error?.message ?? 'unknown error'}`));
    });
  } finally {
    db.close();
  }
}

export const load = <T>(key: string) => tx<T | undefined>('readonly', (s) => s.get(key));
export const save = (key: string, value: unknown) => tx<IDBValidKey>('readwrite', (s) => s.put(value, key));
export const remove = (key: string) => tx<undefined>('readwrite', (s) => s.delete(key));

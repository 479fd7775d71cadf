import { RunStore, StoreError } from '@vib/store';
import { storePath, type StoreFlags } from '../store/store-flags.js';

/**
 * Open the run store of a `vib runs` command that only reads it (`ls`, `show`, `compare`, `export`). A missing
 * or empty file is refused rather than created, and so is a file that is not a vib store (its bytes stay as
 * they were). The store is opened read-only, unless it is a vib store with bookkeeping due: runs whose process
 * died, to be shown `interrupted`, or an older schema to migrate; then, and only then, it is opened for writing.
 * @param flags - the command's `--store`
 * @returns the open store; close it when done
 * @throws {@link StoreError} when there is no store at the path or the file is not a vib store
 */
export function openStoreToRead(flags: StoreFlags): RunStore {
  const file = storePath(flags);
  try {
    const store = RunStore.open(file, { readonly: true });
    if (store.deadRuns().length === 0) return store;
    store.close();
  } catch (e) {
    if (!(e instanceof StoreError && e.code === 'E_STORE_OLD')) throw e;
  }
  return RunStore.open(file, { mustExist: true });
}

/**
 * Open the run store of a `vib runs` command that deletes runs (`rm`): for writing, but never creating it.
 * @param flags - the command's `--store`
 * @returns the open store; close it when done
 * @throws {@link StoreError} when there is no store at the path or the file is not a vib store
 */
export function openStoreToDelete(flags: StoreFlags): RunStore {
  return RunStore.open(storePath(flags), { mustExist: true });
}

import { createPersistentStore, usePersistentStore } from '@/lib/persistent-store';

/** The area chosen in the header; '' means all areas. Every list and export honours it. */
const areaFilterStore = createPersistentStore('hes.area', (raw) => raw ?? '');

export const useAreaFilter = () => usePersistentStore(areaFilterStore);

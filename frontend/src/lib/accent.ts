import { isAccent, type Accent } from '@/config/theme';
import { createPersistentStore, usePersistentStore } from '@/lib/persistent-store';

const accentStore = createPersistentStore<Accent>('hes.accent', (raw) => (isAccent(raw) ? raw : 'grid-blue'));

export const useAccent = () => usePersistentStore(accentStore);

import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';
import { exportCsv, useImportCsv } from '@/lib/csv';
import { useInvalidatingMutation } from '@/lib/react-query';
import { simsQueryKey, type Sim, type SimFilters } from '@/features/sims/api/get-sims';

export type SimCreate = components['schemas']['SimCreate'];
/** A PATCH sends only what changes (the generated type marks defaulted fields as required). */
export type SimUpdate = Partial<components['schemas']['SimUpdate']>;

const simPath = (simNumber: string) => `/sims/${encodeURIComponent(simNumber)}`;

export const createSim = (body: SimCreate) => api.post<Sim>('/sims', { json: body });

export const updateSim = ({ simNumber, body }: { simNumber: string; body: SimUpdate }) =>
  api.patch<Sim>(simPath(simNumber), { json: body });

export const deleteSim = (simNumber: string) => api.delete(simPath(simNumber));

export const useCreateSim = () => useInvalidatingMutation(createSim, simsQueryKey);
export const useUpdateSim = () => useInvalidatingMutation(updateSim, simsQueryKey);
export const useDeleteSim = () => useInvalidatingMutation(deleteSim, simsQueryKey);

export const useImportSims = () => useImportCsv('sims', simsQueryKey);
export const exportSims = (filters: SimFilters) => exportCsv('sims', filters);

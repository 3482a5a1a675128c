import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';
import { useInvalidatingMutation } from '@/lib/react-query';
import { areasQueryKey, type Area } from '@/features/areas/api/get-areas';

export type AreaCreate = components['schemas']['AreaCreate'];
/** A PATCH sends only what changes (the generated type marks defaulted fields as required). */
export type AreaUpdate = Partial<components['schemas']['AreaUpdate']>;

const areaPath = (id: string) => `/areas/${encodeURIComponent(id)}`;

export const createArea = (body: AreaCreate) => api.post<Area>('/areas', { json: body });

export const updateArea = ({ id, body }: { id: string; body: AreaUpdate }) =>
  api.patch<Area>(areaPath(id), { json: body });

export const deleteArea = (id: string) => api.delete(areaPath(id));

export const useCreateArea = () => useInvalidatingMutation(createArea, areasQueryKey);
export const useUpdateArea = () => useInvalidatingMutation(updateArea, areasQueryKey);
export const useDeleteArea = () => useInvalidatingMutation(deleteArea, areasQueryKey);

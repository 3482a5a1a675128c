import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';
import { useImportCsv, exportCsv } from '@/lib/csv';
import { useInvalidatingMutation } from '@/lib/react-query';
import { metersQueryKey, type Meter, type MeterFilters } from '@/features/meters/api/get-meters';

export type MeterCreate = components['schemas']['MeterCreate'];
/** A PATCH sends only what changes (the generated type marks defaulted fields as required). */
export type MeterUpdate = Partial<components['schemas']['MeterUpdate']>;

const meterPath = (meterNumber: string) => `/meters/${encodeURIComponent(meterNumber)}`;

export const createMeter = (body: MeterCreate) => api.post<Meter>('/meters', { json: body });

export const updateMeter = ({ meterNumber, body }: { meterNumber: string; body: MeterUpdate }) =>
  api.patch<Meter>(meterPath(meterNumber), { json: body });

export const deleteMeter = (meterNumber: string) => api.delete(meterPath(meterNumber));

export const useCreateMeter = () => useInvalidatingMutation(createMeter, metersQueryKey);
export const useUpdateMeter = () => useInvalidatingMutation(updateMeter, metersQueryKey);
export const useDeleteMeter = () => useInvalidatingMutation(deleteMeter, metersQueryKey);

export const useImportMeters = () => useImportCsv('meters', metersQueryKey);
export const exportMeters = (filters: MeterFilters) => exportCsv('meters', filters);

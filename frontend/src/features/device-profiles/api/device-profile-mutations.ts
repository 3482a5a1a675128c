import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';
import { downloadCsv, useImportFile } from '@/lib/csv';
import { useInvalidatingMutation } from '@/lib/react-query';
import { deviceProfilesQueryKey, type DeviceProfile } from '@/features/device-profiles/api/get-device-profiles';

export type DeviceProfileCreate = components['schemas']['DeviceProfileCreate'];
/** A PATCH sends only what changes (the generated type marks defaulted fields as required). */
export type DeviceProfileUpdate = Partial<components['schemas']['DeviceProfileUpdate']>;

const profilePath = (id: string) => `/device-profiles/${encodeURIComponent(id)}`;

export const createDeviceProfile = (body: DeviceProfileCreate) =>
  api.post<DeviceProfile>('/device-profiles', { json: body });

/** `objects` and `push_layout`, when sent, replace the whole list. */
export const updateDeviceProfile = ({ id, body }: { id: string; body: DeviceProfileUpdate }) =>
  api.patch<DeviceProfile>(profilePath(id), { json: body });

export const deleteDeviceProfile = (id: string) => api.delete(profilePath(id));

export const useCreateDeviceProfile = () => useInvalidatingMutation(createDeviceProfile, deviceProfilesQueryKey);
export const useUpdateDeviceProfile = () => useInvalidatingMutation(updateDeviceProfile, deviceProfilesQueryKey);
export const useDeleteDeviceProfile = () => useInvalidatingMutation(deleteDeviceProfile, deviceProfilesQueryKey);

/** An "OBIS file" replaces the profile's objects, all or nothing (dry run first, like the CSV imports). */
export const useImportProfileObjects = (id: string) =>
  useImportFile(`${profilePath(id)}/objects/import`, deviceProfilesQueryKey);

export const downloadObjectsTemplate = () =>
  downloadCsv('/device-profiles/objects/template', 'obis-file-template.csv');

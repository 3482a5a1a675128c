import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';

export type DiscoveryResult = components['schemas']['DiscoveryResult'];
export type DiscoveredObject = components['schemas']['DiscoveredObject'];
type JobAccepted = components['schemas']['JobAccepted'];

/** A discovery is asked for again this often until it is no longer running. */
export const DISCOVERY_POLL_MS = 1000;

const discoverPath = (id: string) => `/device-profiles/${encodeURIComponent(id)}/discover`;

/** Starts reading a connected meter's object list; answers the job that does it. */
export const startDiscovery = ({ id, meter }: { id: string; meter: string }) =>
  api.post<JobAccepted>(discoverPath(id), { query: { meter } });

/** The dialog shows a refusal itself. */
export const useStartDiscovery = () => useMutation({ mutationFn: startDiscovery, meta: { errorToast: false } });

/** Kept apart from the profile queries: saving the profile must not ask for a finished discovery again. */
export const discoveryQueryOptions = (id: string, jobId: string) =>
  queryOptions({
    queryKey: ['device-profile-discovery', id, jobId],
    queryFn: ({ signal }) =>
      api.get<DiscoveryResult>(`${discoverPath(id)}/${encodeURIComponent(jobId)}`, { signal }),
    refetchInterval: (query) =>
      query.state.status !== 'error' && query.state.data?.status === 'running' ? DISCOVERY_POLL_MS : false,
    staleTime: (query) => (query.state.data && query.state.data.status !== 'running' ? Infinity : 0),
  });

/** One discovery, polled about every second until it is done or timed out. */
export const useDiscovery = (id: string, jobId: string | null) =>
  useQuery({ ...discoveryQueryOptions(id, jobId ?? ''), enabled: Boolean(jobId) });

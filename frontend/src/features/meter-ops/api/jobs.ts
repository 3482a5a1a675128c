import { keepPreviousData, queryOptions, useMutation, useQueries, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';
import { meterOpsQueryKey } from '@/features/meter-ops/api/get-meter-ops';

export type Job = components['schemas']['Job'];
export type JobCreate = components['schemas']['JobCreate'];
/** `class_id` and `value` may be left out (the generated type marks defaulted fields as required). */
export type JobItem = Pick<components['schemas']['JobItem'], 'obis' | 'index'> &
  Partial<Pick<components['schemas']['JobItem'], 'class_id' | 'value'>>;
export type JobKind = JobCreate['kind'];
export type ItemResult = components['schemas']['ItemResult'];
export type MeterResult = components['schemas']['MeterResult'];
type JobAccepted = components['schemas']['JobAccepted'];
type JobPage = components['schemas']['JobPage'];

/** A job is asked for again this often until it is no longer running. */
export const JOB_POLL_MS = 1000;

export const jobsQueryKey = [...meterOpsQueryKey, 'jobs'] as const;

export const createJob = (body: { kind: JobKind; meters: string[]; items: JobItem[] }) =>
  api.post<JobAccepted>('/jobs', { json: body });

/** Starting a job makes the "Recent jobs" list stale; callers show a refusal themselves. */
export const useCreateJob = () =>
  useMutation({
    mutationFn: createJob,
    meta: { errorToast: false },
  });

export const jobQueryOptions = (id: string) =>
  queryOptions({
    queryKey: [...jobsQueryKey, 'detail', id],
    queryFn: ({ signal }) => api.get<Job>(`/jobs/${encodeURIComponent(id)}`, { signal }),
    // Polled while the meters work on it; a finished job does not change any more.
    refetchInterval: (query) =>
      query.state.status !== 'error' && query.state.data?.status === 'running' ? JOB_POLL_MS : false,
    staleTime: (query) => (query.state.data && query.state.data.status !== 'running' ? Infinity : 0),
  });

/** One job, polled about every second until it is done or timed out. */
export const useJob = (id: string | null) => useQuery({ ...jobQueryOptions(id ?? ''), enabled: Boolean(id) });

/** Several jobs at once, each polled like `useJob`; answers id → job for those loaded. */
export function useJobMap(ids: string[]) {
  return useQueries({
    queries: ids.map((id) => jobQueryOptions(id)),
    combine: (results) => {
      const jobs = new Map<string, Job>();
      results.forEach((result, index) => {
        const id = ids[index];
        if (id && result.data) jobs.set(id, result.data);
      });
      return jobs;
    },
  });
}

export type JobListParams = { q?: string; page?: number; page_size?: number };

export const recentJobsQueryOptions = (params: JobListParams) =>
  queryOptions({
    queryKey: [...jobsQueryKey, 'list', params],
    queryFn: ({ signal }) => api.get<JobPage>('/jobs', { query: params, signal }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.items.some((job) => job.status === 'running') ? JOB_POLL_MS * 5 : false,
  });

export const useRecentJobs = (params: JobListParams) => useQuery(recentJobsQueryOptions(params));

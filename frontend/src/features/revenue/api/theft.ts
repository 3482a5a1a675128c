import { keepPreviousData, queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components, operations } from '@/lib/api/schema';
import { useInvalidatingMutation } from '@/lib/react-query';
import { theftQueryKey } from '@/features/revenue/api/keys';

export type TheftScore = components['schemas']['TheftScoreItem'];
export type TheftScoreDetail = components['schemas']['TheftScoreDetail'];
export type TheftScorePage = components['schemas']['TheftScorePage'];
export type TheftRun = components['schemas']['TheftRun'];
export type TheftSettings = components['schemas']['TheftSettings'];
export type RuleHit = components['schemas']['RuleHitView'];
export type DayEnergy = components['schemas']['DayEnergy'];
export type EvidenceEvent = components['schemas']['EvidenceEvent'];
type TheftRunPage = components['schemas']['TheftRunPage'];
type TheftRunAccepted = components['schemas']['TheftRunAccepted'];

export type TheftScoreParams = NonNullable<operations['list_theft_scores']['parameters']['query']>;

export const RISKS = ['high', 'medium', 'low'] as const;
export type Risk = (typeof RISKS)[number];

/** A run is asked for again this often until it is done or failed. */
export const RUN_POLL_MS = 1_500;

export const isRunning = (run: TheftRun | undefined) => run?.status === 'queued' || run?.status === 'running';

export const theftScoresQueryOptions = (params: TheftScoreParams) =>
  queryOptions({
    queryKey: [...theftQueryKey, 'scores', params],
    queryFn: ({ signal }) => api.get<TheftScorePage>('/theft/scores', { query: params, signal }),
    placeholderData: keepPreviousData,
  });

export const useTheftScores = (params: TheftScoreParams) => useQuery(theftScoresQueryOptions(params));

export const theftScoreQueryOptions = (meterNumber: string, asOf: string | null) =>
  queryOptions({
    queryKey: [...theftQueryKey, 'score', meterNumber, asOf],
    queryFn: ({ signal }) =>
      api.get<TheftScoreDetail>(`/theft/scores/${encodeURIComponent(meterNumber)}`, { query: { as_of: asOf }, signal }),
  });

/** A meter's score with its evidence, for the day the list shows. */
export const useTheftScore = (meterNumber: string | null, asOf: string | null) =>
  useQuery({ ...theftScoreQueryOptions(meterNumber ?? '', asOf), enabled: Boolean(meterNumber) });

/** The newest run (of any scope); asked again while it is still queued or running. */
export const lastTheftRunQueryOptions = () =>
  queryOptions({
    queryKey: [...theftQueryKey, 'runs', 'last'],
    queryFn: ({ signal }) => api.get<TheftRunPage>('/theft/runs', { query: { page_size: 1 }, signal }),
    select: (page) => page.items[0] ?? null,
    refetchInterval: (query) => (isRunning(query.state.data?.items[0]) ? RUN_POLL_MS : false),
  });

export const useLastTheftRun = () => useQuery(lastTheftRunQueryOptions());

export const theftRunQueryOptions = (id: string) =>
  queryOptions({
    queryKey: [...theftQueryKey, 'run', id],
    queryFn: ({ signal }) => api.get<TheftRun>(`/theft/runs/${encodeURIComponent(id)}`, { signal }),
    refetchInterval: (query) => (query.state.status !== 'error' && isRunning(query.state.data) ? RUN_POLL_MS : false),
  });

/** One run, polled until it is done or failed. */
export const useTheftRun = (id: string | null) => useQuery({ ...theftRunQueryOptions(id ?? ''), enabled: Boolean(id) });

/** Queues a run for the area ('' or omitted: every area); the caller polls it. */
export const startTheftRun = ({ area }: { area?: string }) =>
  api.post<TheftRunAccepted>('/theft/run', { json: { area: area || undefined } });

/** The page polls the accepted run itself, and asks for the scores again when it ends; the page shows a refusal. */
export const useStartTheftRun = () => useMutation({ mutationFn: startTheftRun, meta: { errorToast: false } });

export const theftSettingsQueryOptions = () =>
  queryOptions({
    queryKey: [...theftQueryKey, 'settings'],
    queryFn: ({ signal }) => api.get<TheftSettings>('/theft/settings', { signal }),
  });

export const useTheftSettings = (enabled = true) => useQuery({ ...theftSettingsQueryOptions(), enabled });

export const putTheftSettings = (body: TheftSettings) => api.put<TheftSettings>('/theft/settings', { json: body });

export const usePutTheftSettings = () => useInvalidatingMutation(putTheftSettings, [...theftQueryKey, 'settings']);

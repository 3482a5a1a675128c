import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components, operations } from '@/lib/api/schema';
import { downloadCsv } from '@/lib/csv';
import { useInvalidatingMutation } from '@/lib/react-query';
import { casesQueryKey, revenueQueryKey } from '@/features/revenue/api/keys';

export type Case = components['schemas']['Case'];
export type CaseDetail = components['schemas']['CaseDetail'];
export type CaseStatus = Case['status'];
export type Outcome = NonNullable<Case['outcome']>;
export type TimelineEntry = components['schemas']['TimelineEntry'];
export type Assignee = components['schemas']['Assignee'];
type CasePage = components['schemas']['CasePage'];
type Assignees = components['schemas']['Assignees'];
/** Defaulted fields may be left out (the generated types mark them as required). */
export type CaseCreate = Partial<components['schemas']['CaseCreate']>;
export type CaseUpdate = Partial<components['schemas']['CaseUpdate']>;

export type CaseListParams = NonNullable<operations['list_cases']['parameters']['query']>;
export type CaseFilters = Omit<CaseListParams, 'page' | 'page_size'>;

export const getCases = (params: CaseListParams, signal?: AbortSignal) =>
  api.get<CasePage>('/cases', { query: params, signal });

export const casesQueryOptions = (params: CaseListParams) =>
  queryOptions({
    queryKey: [...casesQueryKey, 'list', params],
    queryFn: ({ signal }) => getCases(params, signal),
    placeholderData: keepPreviousData,
  });

export const useCases = (params: CaseListParams) => useQuery(casesQueryOptions(params));

export const caseQueryOptions = (id: string) =>
  queryOptions({
    queryKey: [...casesQueryKey, 'detail', id],
    queryFn: ({ signal }) => api.get<CaseDetail>(`/cases/${encodeURIComponent(id)}`, { signal }),
  });

export const useCase = (id: string) => useQuery(caseQueryOptions(id));

export const assigneesQueryOptions = () =>
  queryOptions({
    queryKey: [...casesQueryKey, 'assignees'],
    queryFn: ({ signal }) => api.get<Assignees>('/cases/assignees', { signal }),
    select: (data) => data.items,
    staleTime: 60_000,
  });

export const useAssignees = () => useQuery(assigneesQueryOptions());

/** Opens a case on a meter or from an alert (the meter is the alert's); 409 when the meter has an open case. */
export const openCase = (body: CaseCreate) => api.post<CaseDetail>('/cases', { json: body });

/** Every revenue view is stale after: the theft list shows each meter's open case. */
export const useOpenCase = () => useInvalidatingMutation(openCase, revenueQueryKey);

/** The answer is the changed case: shown at once, while the lists (and the theft list's open cases) are asked again. */
function useCaseMutation<TVariables>(mutationFn: (variables: TVariables) => Promise<CaseDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: (detail) => {
      queryClient.setQueryData(caseQueryOptions(detail.id).queryKey, detail);
      return queryClient.invalidateQueries({ queryKey: revenueQueryKey });
    },
    meta: { errorToast: false },
  });
}

export const updateCase = ({ id, body }: { id: string; body: CaseUpdate }) =>
  api.patch<CaseDetail>(`/cases/${encodeURIComponent(id)}`, { json: body });

export const useUpdateCase = () => useCaseMutation(updateCase);

export const addCaseNote = ({ id, text }: { id: string; text: string }) =>
  api.post<CaseDetail>(`/cases/${encodeURIComponent(id)}/notes`, { json: { text } });

export const useAddCaseNote = () => useCaseMutation(addCaseNote);

export const exportCases = (filters: CaseFilters) => downloadCsv('/cases/export', 'cases.csv', filters);

export const downloadCaseReport = (id: string) =>
  downloadCsv(`/cases/${encodeURIComponent(id)}/report`, `case-${id}.pdf`);

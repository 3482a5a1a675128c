import {
  MutationCache,
  QueryCache,
  QueryClient,
  useMutation,
  useQueryClient,
  type QueryKey,
} from '@tanstack/react-query';
import { ApiError } from '@/lib/api-client';
import { notifyError } from '@/lib/notify';

interface MutationMeta extends Record<string, unknown> {
  /** False when the component shows the error itself (forms, dialogs). */
  errorToast?: boolean;
  errorTitle?: string;
}

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: MutationMeta;
  }
}

/** 401s end the session (the api client handles them); other client errors will not change on a retry. */
const isExpected = (error: Error) => error instanceof ApiError && error.status >= 400 && error.status < 500;

export function createQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        if (!(error instanceof ApiError && error.status === 401)) notifyError('Could not load data', error);
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        const meta = mutation.meta;
        if (meta?.errorToast !== false) notifyError(meta?.errorTitle ?? 'Could not save changes', error);
      },
    }),
    defaultOptions: {
      queries: {
        retry: (failureCount, error) => !isExpected(error) && failureCount < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
}

/**
 * A write whose success makes the lists under `invalidates` stale. The invalidation is awaited,
 * so a dialog that closes on success closes onto the updated list.
 */
export function useInvalidatingMutation<TData, TVariables>(
  mutationFn: (variables: TVariables) => Promise<TData>,
  invalidates: QueryKey,
  meta: MutationMeta = { errorToast: false },
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invalidates }),
    meta,
  });
}

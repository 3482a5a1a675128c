import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { endSession } from '@/lib/auth';
import { tokenStorage } from '@/lib/token-storage';

/** Revokes the refresh token on the server; the local session ends whatever the answer. */
export const logout = async () => {
  const refreshToken = tokenStorage.refresh();
  if (refreshToken) await api.post<void>('/auth/logout', { json: { refresh_token: refreshToken } });
};

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSettled: () => endSession(queryClient),
    meta: { errorToast: false },
  });
}

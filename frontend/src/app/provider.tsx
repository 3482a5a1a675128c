import { localStorageColorSchemeManager, MantineProvider } from '@mantine/core';
import { Notifications, notifications } from '@mantine/notifications';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { buildTheme } from '@/config/theme';
import { useAccent } from '@/lib/accent';
import { onSessionExpired } from '@/lib/api-client';
import { endSession } from '@/lib/auth';
import { createQueryClient } from '@/lib/react-query';

const colorSchemeManager = localStorageColorSchemeManager({ key: 'hes.color-scheme' });

function ThemeProvider({ children }: { children: ReactNode }) {
  const [accent] = useAccent();
  const theme = useMemo(() => buildTheme(accent), [accent]);
  return (
    <MantineProvider theme={theme} colorSchemeManager={colorSchemeManager} defaultColorScheme="light">
      <Notifications position="top-right" />
      {children}
    </MantineProvider>
  );
}

function useSessionExpiry(queryClient: QueryClient) {
  useEffect(
    () =>
      onSessionExpired(() => {
        endSession(queryClient);
        notifications.show({ color: 'yellow', message: 'Your session has expired. Please log in again.' });
      }),
    [queryClient],
  );
}

export function AppProvider({ children, queryClient: given }: { children: ReactNode; queryClient?: QueryClient }) {
  const [queryClient] = useState(() => given ?? createQueryClient());
  useSessionExpiry(queryClient);
  return (
    <ThemeProvider>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </ThemeProvider>
  );
}

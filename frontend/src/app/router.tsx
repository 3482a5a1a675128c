import { useState } from 'react';
import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router';
import { HomeRedirect, RequireAccess, RequireAuth, RequirePasswordChanged } from '@/app/guards';
import { AppLayout } from '@/app/layout/app-layout';
import { RouteError } from '@/app/routes/route-error';
import { paths } from '@/config/paths';
import { FullPageLoader } from '@/components/ui/full-page-loader';
import type { Permission } from '@/lib/authorization';

const STAFF_PAGES: [string, Permission, RouteObject['lazy']][] = [
  [paths.dashboard, 'reports:read', () => import('@/app/routes/dashboard')],
  [paths.alerts, 'reports:read', () => import('@/app/routes/alerts')],
  [paths.events, 'reports:read', () => import('@/app/routes/events')],
  [paths.eventAnalysis, 'reports:read', () => import('@/app/routes/event-analysis')],
  [paths.consumption, 'reports:read', () => import('@/app/routes/consumption')],
  [paths.onlineRate, 'reports:read', () => import('@/app/routes/online-rate')],
  [paths.reports, 'reports:read', () => import('@/app/routes/reports')],
  [paths.readingsImport, 'readings:import', () => import('@/app/routes/readings-import')],
  [paths.areas, 'areas:read', () => import('@/app/routes/areas')],
  [paths.deviceProfiles, 'profiles:read', () => import('@/app/routes/device-profiles')],
  [paths.deviceProfile, 'profiles:read', () => import('@/app/routes/device-profile')],
  [paths.users, 'users:manage', () => import('@/app/routes/users')],
  [paths.audit, 'audit:read', () => import('@/app/routes/audit')],
  [paths.settings, 'settings:manage', () => import('@/app/routes/settings')],
  [paths.meters, 'meters:read', () => import('@/app/routes/meters')],
  [paths.sims, 'sims:read', () => import('@/app/routes/sims')],
  [paths.customers, 'customers:read', () => import('@/app/routes/customers')],
  [paths.meterReading, 'meters:read', () => import('@/app/routes/meter-reading')],
  [paths.meterSetting, 'meters:read', () => import('@/app/routes/meter-setting')],
  [paths.monitoring, 'jobs:read', () => import('@/app/routes/monitoring')],
  [paths.remoteLoading, 'meters:read', () => import('@/app/routes/remote-loading')],
  [paths.remoteControl, 'meters:read', () => import('@/app/routes/remote-control')],
  [paths.unregisteredDevices, 'devices:read', () => import('@/app/routes/unregistered-devices')],
  [paths.theft, 'reports:read', () => import('@/app/routes/theft')],
  [paths.cases, 'reports:read', () => import('@/app/routes/cases')],
  [paths.case, 'reports:read', () => import('@/app/routes/case')],
  [paths.leakage, 'reports:read', () => import('@/app/routes/leakage')],
  [paths.leakageMeters, 'reports:read', () => import('@/app/routes/leakage')],
  [paths.losses, 'reports:read', () => import('@/app/routes/losses')],
];

export const routes: RouteObject[] = [
  {
    hydrateFallbackElement: <FullPageLoader />,
    errorElement: <RouteError />,
    children: [
      { path: paths.login, lazy: () => import('@/app/routes/login') },
      {
        element: <RequireAuth />,
        children: [
          { path: paths.changePassword, lazy: () => import('@/app/routes/change-password') },
          {
            element: <RequirePasswordChanged />,
            children: [
              {
                element: <AppLayout />,
                children: [
                  { index: true, element: <HomeRedirect /> },
                  ...STAFF_PAGES.map(([path, permission, lazy]) => ({
                    element: <RequireAccess permission={permission} />,
                    children: [{ path, lazy }],
                  })),
                  {
                    element: <RequireAccess customer permission="own:read" />,
                    children: [
                      { path: paths.myMeters, lazy: () => import('@/app/routes/my-meters') },
                      { path: paths.myMeter, lazy: () => import('@/app/routes/my-meter') },
                    ],
                  },
                  { path: '*', lazy: () => import('@/app/routes/not-found') },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
];

export function AppRouter() {
  const [router] = useState(() => createBrowserRouter(routes));
  return <RouterProvider router={router} />;
}

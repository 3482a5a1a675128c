import { NavLink as MantineNavLink, Stack, Text } from '@mantine/core';
import {
  IconActivityHeartbeat,
  IconAddressBook,
  IconAdjustmentsHorizontal,
  IconBell,
  IconBolt,
  IconCashBanknoteOff,
  IconChartBar,
  IconChartHistogram,
  IconCoin,
  IconDeviceDesktopQuestion,
  IconFileExport,
  IconFileImport,
  IconFolderSearch,
  IconGaugeOff,
  IconLayoutDashboard,
  IconListDetails,
  IconWifi,
  IconPlugConnected,
  IconReportAnalytics,
  IconCpu,
  IconDeviceSim,
  IconGauge,
  IconHistory,
  IconMap2,
  IconSettings,
  IconShieldSearch,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import { NavLink, useLocation } from 'react-router';
import { paths } from '@/config/paths';
import { permissionsFor, type Permission } from '@/lib/authorization';
import type { UserInfo } from '@/lib/auth';

interface NavItem {
  label: string;
  to: string;
  icon: Icon;
  permission: Permission;
}

const SECTIONS: { title: string; items: NavItem[] }[] = [
  {
    title: 'Operations',
    items: [
      { label: 'Dashboard', to: paths.dashboard, icon: IconLayoutDashboard, permission: 'reports:read' },
      { label: 'Alerts', to: paths.alerts, icon: IconBell, permission: 'reports:read' },
    ],
  },
  {
    title: 'Reports',
    items: [
      { label: 'Event report', to: paths.events, icon: IconListDetails, permission: 'reports:read' },
      { label: 'Event analysis', to: paths.eventAnalysis, icon: IconChartHistogram, permission: 'reports:read' },
      { label: 'Consumption', to: paths.consumption, icon: IconChartBar, permission: 'reports:read' },
      { label: 'Online rate', to: paths.onlineRate, icon: IconWifi, permission: 'reports:read' },
      { label: 'Reports', to: paths.reports, icon: IconFileExport, permission: 'reports:read' },
    ],
  },
  {
    title: 'Revenue protection',
    items: [
      { label: 'Theft detection', to: paths.theft, icon: IconShieldSearch, permission: 'reports:read' },
      { label: 'Technical losses', to: paths.losses, icon: IconGaugeOff, permission: 'reports:read' },
      { label: 'Investigations', to: paths.cases, icon: IconFolderSearch, permission: 'reports:read' },
      { label: 'Leakage monitoring', to: paths.leakage, icon: IconCashBanknoteOff, permission: 'reports:read' },
    ],
  },
  {
    title: 'System',
    items: [
      { label: 'Areas', to: paths.areas, icon: IconMap2, permission: 'areas:read' },
      { label: 'Device profiles', to: paths.deviceProfiles, icon: IconCpu, permission: 'profiles:read' },
      {
        label: 'Unregistered devices',
        to: paths.unregisteredDevices,
        icon: IconDeviceDesktopQuestion,
        permission: 'devices:read',
      },
      { label: 'Users', to: paths.users, icon: IconUsers, permission: 'users:manage' },
      { label: 'Audit log', to: paths.audit, icon: IconHistory, permission: 'audit:read' },
      { label: 'Settings', to: paths.settings, icon: IconSettings, permission: 'settings:manage' },
    ],
  },
  {
    title: 'Meter management',
    items: [
      { label: 'Meters', to: paths.meters, icon: IconBolt, permission: 'meters:read' },
      { label: 'SIM cards', to: paths.sims, icon: IconDeviceSim, permission: 'sims:read' },
      { label: 'Meter reading', to: paths.meterReading, icon: IconReportAnalytics, permission: 'meters:read' },
      { label: 'Meter setting', to: paths.meterSetting, icon: IconAdjustmentsHorizontal, permission: 'meters:read' },
      { label: 'Interval data import', to: paths.readingsImport, icon: IconFileImport, permission: 'readings:import' },
    ],
  },
  {
    title: 'Customer management',
    items: [{ label: 'Customers', to: paths.customers, icon: IconAddressBook, permission: 'customers:read' }],
  },
  {
    title: 'Task query',
    items: [{ label: 'Real-time monitoring', to: paths.monitoring, icon: IconActivityHeartbeat, permission: 'jobs:read' }],
  },
  {
    title: 'Remote',
    items: [
      { label: 'Remote loading', to: paths.remoteLoading, icon: IconCoin, permission: 'meters:read' },
      { label: 'Remote control', to: paths.remoteControl, icon: IconPlugConnected, permission: 'meters:read' },
    ],
  },
];

const CUSTOMER_SECTIONS = [
  { title: 'My account', items: [{ label: 'My meters', to: paths.myMeters, icon: IconGauge }] },
];

/** The design's sections, each with the pages this user may open; empty sections are left out. */
function navigationFor(user: UserInfo) {
  const { can, isCustomer } = permissionsFor(user);
  if (isCustomer) return CUSTOMER_SECTIONS;
  return SECTIONS.map((section) => ({ ...section, items: section.items.filter((item) => can(item.permission)) })).filter(
    (section) => section.items.length > 0,
  );
}

export function Navigation({ user, onNavigate }: { user: UserInfo; onNavigate: () => void }) {
  const { pathname } = useLocation();
  return (
    <Stack gap="md" component="nav" aria-label="Main">
      {navigationFor(user).map((section) => (
        <Stack key={section.title} gap={2}>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm">
            {section.title}
          </Text>
          {section.items.map(({ label, to, icon: ItemIcon }) => (
            <MantineNavLink
              key={to}
              component={NavLink}
              to={to}
              label={label}
              active={pathname === to || pathname.startsWith(`${to}/`)}
              leftSection={<ItemIcon size={18} stroke={1.6} />}
              onClick={onNavigate}
            />
          ))}
        </Stack>
      ))}
    </Stack>
  );
}

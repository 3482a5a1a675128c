import { SettingsPage } from '@/features/settings/components/settings-form';

export function Component() {
  return <SettingsPage />;
}

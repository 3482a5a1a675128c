import { DeviceProfilesList } from '@/features/device-profiles/components/device-profiles-list';

export function Component() {
  return <DeviceProfilesList />;
}

import { MeterSetting } from '@/features/meter-ops/components/meter-setting';

export function Component() {
  return <MeterSetting />;
}

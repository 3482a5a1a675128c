import { Monitoring } from '@/features/meter-ops/components/monitoring';

export function Component() {
  return <Monitoring />;
}

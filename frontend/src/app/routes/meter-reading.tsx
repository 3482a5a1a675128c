import { MeterReading } from '@/features/meter-ops/components/meter-reading';

export function Component() {
  return <MeterReading />;
}

import { MetersList } from '@/features/meters/components/meters-list';

export function Component() {
  return <MetersList />;
}

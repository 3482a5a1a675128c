import { ConsumptionReport } from '@/features/operations/components/consumption-report';

export function Component() {
  return <ConsumptionReport />;
}

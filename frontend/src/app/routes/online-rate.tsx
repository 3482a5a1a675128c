import { OnlineRate } from '@/features/operations/components/online-rate';

export function Component() {
  return <OnlineRate />;
}

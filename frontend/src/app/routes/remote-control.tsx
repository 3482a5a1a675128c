import { RemoteControl } from '@/features/meter-ops/components/remote-control';

export function Component() {
  return <RemoteControl />;
}

import { RemoteLoading } from '@/features/meter-ops/components/remote-loading';

export function Component() {
  return <RemoteLoading />;
}

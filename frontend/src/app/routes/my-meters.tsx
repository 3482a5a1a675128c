import { MyMeters } from '@/features/self-service/components/my-meters';

export function Component() {
  return <MyMeters />;
}

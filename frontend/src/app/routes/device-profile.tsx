import { useParams } from 'react-router';
import { DeviceProfileDetail } from '@/features/device-profiles/components/device-profile-detail';

export function Component() {
  const { id = '' } = useParams();
  // Keyed: another profile starts with fresh drafts and dialogs.
  return <DeviceProfileDetail key={id} id={id} />;
}

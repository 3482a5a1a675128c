import { useParams } from 'react-router';
import { MyMeter } from '@/features/self-service/components/my-meter';

export function Component() {
  const { meterNumber = '' } = useParams();
  // Keyed: another meter starts with its own period and pages.
  return <MyMeter key={meterNumber} meterNumber={meterNumber} />;
}

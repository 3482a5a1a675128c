import { useParams } from 'react-router';
import { Component as NotFound } from '@/app/routes/not-found';
import { LeakageMeters } from '@/features/leakage/components/leakage-meters';
import { LeakagePage } from '@/features/leakage/components/leakage-page';
import { indicatorInfo } from '@/features/leakage/utils/indicators';

/** The leakage summary, or (at /leakage/:indicator) the meters behind one of its counts. */
export function Component() {
  const { indicator } = useParams();
  if (!indicator) return <LeakagePage />;
  const info = indicatorInfo(indicator);
  return info ? <LeakageMeters key={info.indicator} indicator={info.indicator} /> : <NotFound />;
}

import {
  IconArrowBackUp,
  IconBoltOff,
  IconClockExclamation,
  IconPlugConnectedX,
  IconShieldExclamation,
  type Icon,
} from '@tabler/icons-react';
import type { MantineColor } from '@mantine/core';
import type { Indicator, LeakageCounts } from '@/features/leakage/api/get-leakage';

interface IndicatorInfo {
  indicator: Indicator;
  label: string;
  /** The count in the summary. */
  count: keyof LeakageCounts;
  /** What it means, and which period it looks at. */
  description: string;
  icon: Icon;
  color: MantineColor;
}

export const INDICATORS: IndicatorInfo[] = [
  {
    indicator: 'zero-consumption',
    label: 'Zero consumption',
    count: 'zero_consumption',
    description: 'Online with supply present, but the import register has not moved in the last 48 hours.',
    icon: IconBoltOff,
    color: 'orange',
  },
  {
    indicator: 'reverse-flow',
    label: 'Reverse flow',
    count: 'reverse_flow',
    description: 'The export register rose in the period on a meter not registered as generating.',
    icon: IconArrowBackUp,
    color: 'grape',
  },
  {
    indicator: 'tamper',
    label: 'Tamper alerts',
    count: 'tamper',
    description: 'Tamper alerts (cover opened, magnetic field, neutral missing, reverse current) in the period.',
    icon: IconShieldExclamation,
    color: 'red',
  },
  {
    indicator: 'bypass',
    label: 'Consumption while disconnected',
    count: 'bypass',
    description: 'Import recorded in whole hours after a relay disconnect and before the next reconnect (bypass).',
    icon: IconPlugConnectedX,
    color: 'pink',
  },
  {
    indicator: 'energy-at-risk',
    label: 'Energy at risk',
    count: 'energy_at_risk',
    description:
      'Offline or not read for more than the chosen days; unbilled energy estimated from the 30 days before.',
    icon: IconClockExclamation,
    color: 'blue',
  },
];

export const indicatorInfo = (indicator: string) => INDICATORS.find((item) => item.indicator === indicator);

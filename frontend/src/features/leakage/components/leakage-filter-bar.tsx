import { Group, NumberInput } from '@mantine/core';
import type { LeakageFilterKey, LeakageFilterValues } from '@/features/leakage/hooks/use-leakage-filters';
import { DateRangeInputs } from '@/components/ui/date-range-inputs';

interface LeakageFilterBarProps {
  values: LeakageFilterValues;
  onChange: (key: LeakageFilterKey, value: string) => void;
}

/** The period (reverse flow, tamper alerts, consumption while disconnected) and the offline threshold. */
export function LeakageFilterBar({ values, onChange }: LeakageFilterBarProps) {
  return (
    <Group gap="sm" align="flex-end">
      <DateRangeInputs
        value={{ from: values.from, to: values.to }}
        onChange={(range) => (range.from !== values.from ? onChange('from', range.from) : onChange('to', range.to))}
        w={{ base: '100%', xs: 170 }}
        fromDescription="Default: 30 days to today"
      />
      <NumberInput
        label="Offline for more than"
        description="days (energy at risk)"
        placeholder="3"
        min={1}
        max={365}
        allowDecimal={false}
        allowNegative={false}
        value={values.offline_days}
        onChange={(value) => onChange('offline_days', String(value))}
        w={{ base: '100%', xs: 190 }}
      />
    </Group>
  );
}

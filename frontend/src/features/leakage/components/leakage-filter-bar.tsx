import { Group, NumberInput, TextInput } from '@mantine/core';
import type { LeakageFilterKey, LeakageFilterValues } from '@/features/leakage/hooks/use-leakage-filters';

interface LeakageFilterBarProps {
  values: LeakageFilterValues;
  onChange: (key: LeakageFilterKey, value: string) => void;
}

/** The period (reverse flow, tamper alerts, consumption while disconnected) and the offline threshold. */
export function LeakageFilterBar({ values, onChange }: LeakageFilterBarProps) {
  return (
    <Group gap="sm" align="flex-end">
      <TextInput
        type="date"
        label="From"
        description="Default: 30 days to today"
        value={values.from}
        max={values.to || undefined}
        onChange={(event) => onChange('from', event.currentTarget.value)}
        w={{ base: '100%', xs: 170 }}
      />
      <TextInput
        type="date"
        label="To"
        description=" "
        value={values.to}
        min={values.from || undefined}
        onChange={(event) => onChange('to', event.currentTarget.value)}
        w={{ base: '100%', xs: 170 }}
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

import { Checkbox, Group, NativeSelect, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { SEVERITIES, useEventTypes } from '@/features/operations/api/get-events';
import type { EventFilterKey, EventFilterValues } from '@/features/operations/hooks/use-event-filters';
import { humanize } from '@/features/operations/utils/format';
import { DateRangeInputs } from '@/components/ui/date-range-inputs';

interface EventFilterBarProps {
  values: EventFilterValues;
  onChange: (key: EventFilterKey, value: string) => void;
}

/** Date range, meter, type, severity and tamper only: the filters of the event report and its analysis. */
export function EventFilterBar({ values, onChange }: EventFilterBarProps) {
  const types = useEventTypes();
  // Typed freely; the address (and the request) follow once typing pauses.
  const [meter, setMeter] = useState(values.meter);
  const commitMeter = useDebouncedCallback((value: string) => onChange('meter', value.trim()), 300);

  return (
    <Group gap="sm" align="flex-end">
      <DateRangeInputs
        value={{ from: values.from, to: values.to }}
        onChange={(range) => (range.from !== values.from ? onChange('from', range.from) : onChange('to', range.to))}
      />
      <TextInput
        label="Meter number"
        placeholder="Any meter"
        leftSection={<IconSearch size={16} />}
        value={meter}
        onChange={(event) => {
          setMeter(event.currentTarget.value);
          commitMeter(event.currentTarget.value);
        }}
        w={{ base: '100%', xs: 200 }}
      />
      <NativeSelect
        label="Type"
        value={values.type}
        onChange={(event) => onChange('type', event.currentTarget.value)}
        data={[
          { value: '', label: 'All types' },
          // A type named in a link stays choosable before the list has loaded.
          ...[...new Set([...(types.data?.items ?? []), ...(values.type ? [values.type] : [])])].map((type) => ({
            value: type,
            label: humanize(type),
          })),
        ]}
      />
      <NativeSelect
        label="Severity"
        value={values.severity}
        onChange={(event) => onChange('severity', event.currentTarget.value)}
        data={[{ value: '', label: 'All severities' }, ...SEVERITIES.map((value) => ({ value, label: humanize(value) }))]}
      />
      <Checkbox
        label="Tamper only"
        checked={values.tamper === 'true'}
        onChange={(event) => onChange('tamper', event.currentTarget.checked ? 'true' : '')}
        mb={8}
      />
    </Group>
  );
}

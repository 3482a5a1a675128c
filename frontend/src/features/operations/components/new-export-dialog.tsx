import { Alert, Button, Checkbox, Group, Modal, NativeSelect, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useAreaFilter } from '@/lib/area-filter';
import { errorMessage, notifySuccess } from '@/lib/notify';
import { useAreaOptions } from '@/features/areas/api/get-areas';
import { GRANULARITIES, type Granularity } from '@/features/operations/api/get-consumption';
import type { OnlineFilter } from '@/features/operations/api/get-online-rate';
import { REPORT_KINDS, useStartReport, type ReportCreate, type ReportFormat, type ReportKind } from '@/features/operations/api/reports';
import { lastMonth } from '@/features/operations/utils/dates';
import { humanize } from '@/features/operations/utils/format';

interface Values {
  kind: ReportKind;
  format: ReportFormat;
  granularity: Granularity;
  from: string;
  to: string;
  meter: string;
  tamper: boolean;
  filter: OnlineFilter;
}

const initialValues = (): Values => ({
  kind: 'consumption',
  format: 'csv',
  granularity: 'daily',
  ...lastMonth(),
  meter: '',
  tamper: false,
  filter: '',
});

/** Only the parameters of the chosen kind, as the report's own GET endpoint takes them; empty ones are left out. */
function paramsFor(values: Values, area: string): Record<string, string> {
  const meter = values.meter.trim();
  const entries: [string, string | false][] =
    values.kind === 'consumption'
      ? // A consumption report covers one meter or an area, not both.
        [['granularity', values.granularity], ['from', values.from], ['to', values.to], meter ? ['meter', meter] : ['area', area]]
      : values.kind === 'events'
        ? [['from', values.from], ['to', values.to], ['meter', meter], ['area', area], ['tamper', values.tamper && 'true']]
        : [['filter', values.filter], ['area', area]];
  return Object.fromEntries(entries.filter((entry): entry is [string, string] => Boolean(entry[1])));
}

const KIND_LABELS: Record<ReportKind, string> = {
  consumption: 'Consumption',
  events: 'Event report',
  'online-rate': 'Online rate',
};

/** Queues a report file for the kind, format and parameters chosen here and the area chosen in the header. */
export function NewExportDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [area] = useAreaFilter();
  const areaName = useAreaOptions().data?.items.find((item) => item.id === area)?.name ?? area;
  const start = useStartReport();
  const [values, setValues] = useState(initialValues);
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((current) => ({ ...current, [key]: value }));
  const withMeter = values.kind !== 'online-rate';
  const dated = values.kind !== 'online-rate';
  const areaIgnored = values.kind === 'consumption' && values.meter.trim() !== '';

  const close = () => {
    setValues(initialValues());
    start.reset();
    onClose();
  };
  const submit = () => {
    const body: ReportCreate = { kind: values.kind, format: values.format, params: paramsFor(values, area) };
    start.mutate(body, {
      onSuccess: () => {
        notifySuccess('Export started: the file appears in the list when it is ready.');
        close();
      },
    });
  };

  return (
    <Modal opened={opened} onClose={close} title="New export" centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Stack>
          <NativeSelect
            label="Report"
            value={values.kind}
            onChange={(event) => set('kind', event.currentTarget.value as ReportKind)}
            data={REPORT_KINDS.map((value) => ({ value, label: KIND_LABELS[value] }))}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Format
            </Text>
            <SegmentedControl
              aria-label="Format"
              value={values.format}
              onChange={(value) => set('format', value as ReportFormat)}
              data={[
                { value: 'csv', label: 'CSV' },
                { value: 'pdf', label: 'PDF' },
              ]}
            />
          </Stack>
          {values.kind === 'consumption' ? (
            <NativeSelect
              label="Granularity"
              value={values.granularity}
              onChange={(event) => set('granularity', event.currentTarget.value as Granularity)}
              data={GRANULARITIES.map((value) => ({ value, label: humanize(value) }))}
            />
          ) : null}
          {dated ? (
            <Group grow>
              <TextInput
                type="date"
                label="From"
                required
                value={values.from}
                max={values.to}
                onChange={(event) => set('from', event.currentTarget.value)}
              />
              <TextInput
                type="date"
                label="To"
                required
                value={values.to}
                min={values.from}
                onChange={(event) => set('to', event.currentTarget.value)}
              />
            </Group>
          ) : null}
          {withMeter ? (
            <TextInput
              label="Meter number"
              description={values.kind === 'consumption' ? 'Optional: one meter instead of an area' : 'Optional'}
              placeholder="e.g. 04312000000"
              value={values.meter}
              onChange={(event) => set('meter', event.currentTarget.value)}
            />
          ) : null}
          {values.kind === 'events' ? (
            <Checkbox
              label="Tamper events only"
              checked={values.tamper}
              onChange={(event) => set('tamper', event.currentTarget.checked)}
            />
          ) : null}
          {values.kind === 'online-rate' ? (
            <NativeSelect
              label="Meters"
              value={values.filter}
              onChange={(event) => set('filter', event.currentTarget.value as OnlineFilter)}
              data={[
                { value: '', label: 'All meters' },
                { value: 'never', label: 'Never online' },
                { value: 'online', label: 'Online' },
              ]}
            />
          ) : null}
          <Text size="sm" c="dimmed">
            {areaIgnored
              ? 'One meter: the area chosen in the header does not apply.'
              : area
                ? `Area: ${areaName} (chosen in the header).`
                : 'All areas; choose an area in the header to narrow it.'}
          </Text>
          {start.error ? (
            <Alert color="red" title="The export was not started">
              {errorMessage(start.error)}
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={start.isPending}>
              Start export
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

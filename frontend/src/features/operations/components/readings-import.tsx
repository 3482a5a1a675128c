import { Alert, Badge, Button, Card, Code, Group, Input, List, Loader, Stack, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconFileImport } from '@tabler/icons-react';
import { useId, useState } from 'react';
import { ImportErrorsTable } from '@/components/csv/import-report';
import { PageHeader } from '@/components/ui/page-header';
import { ApiError } from '@/lib/api-client';
import { formatDateTime, plural } from '@/lib/format';
import { errorMessage, notifySuccess } from '@/lib/notify';
import { useImportReadings, type ReadingImportReport } from '@/features/operations/api/import-readings';

function ReportView({ report }: { report: ReadingImportReport }) {
  const errors = report.errors.length + report.errors_left_off;
  return (
    <Stack gap="sm">
      <Group gap="xs" role="group" aria-label={report.dry_run ? 'Dry run summary' : 'Import summary'}>
        <Badge variant="light" size="lg">Rows: {report.rows}</Badge>
        <Badge variant="light" size="lg">Meters: {report.meters}</Badge>
        <Badge variant="light" color="green" size="lg">New readings: {report.new_points}</Badge>
        <Badge variant="light" color="gray" size="lg">Unchanged: {report.unchanged_points}</Badge>
        <Badge variant="light" color={errors ? 'red' : 'gray'} size="lg">Errors: {errors}</Badge>
        {report.flags ? (
          <Badge variant="light" color="yellow" size="lg">Register resets: {report.flags}</Badge>
        ) : null}
      </Group>
      {report.from || report.to ? (
        <Text size="sm">
          Readings from {formatDateTime(report.from)} to {formatDateTime(report.to)}
        </Text>
      ) : null}
      {report.errors.length ? (
        <>
          <Title order={4}>Errors</Title>
          <ImportErrorsTable errors={report.errors} />
          {report.errors_left_off ? (
            <Text size="sm" c="dimmed">
              And {plural(report.errors_left_off, 'more error', 'more errors')} not listed.
            </Text>
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}

/**
 * Interval data import: pick a CSV file of register readings, read the dry run's report, then
 * import. Nothing is written until a clean dry run is confirmed; the import is all or nothing.
 */
export function ReadingsImport() {
  const inputId = useId();
  const mutation = useImportReadings();
  const [file, setFile] = useState<File | null>(null);
  const [checked, setChecked] = useState<ReadingImportReport | null>(null);
  const [written, setWritten] = useState<ReadingImportReport | null>(null);

  const check = (picked: File) => {
    mutation.reset();
    setFile(picked);
    setChecked(null);
    setWritten(null);
    mutation.mutate({ file: picked, dryRun: true }, { onSuccess: setChecked });
  };
  const commit = (picked: File) =>
    mutation.mutate(
      { file: picked, dryRun: false },
      {
        onSuccess: (result) => {
          notifySuccess(`Imported ${plural(result.written, 'reading', 'readings')}.`);
          setWritten(result);
          setChecked(null);
          setFile(null);
        },
      },
    );

  const checking = mutation.isPending && mutation.variables.dryRun;
  const committing = mutation.isPending && !mutation.variables.dryRun;
  const failure = mutation.error;
  const clean = checked !== null && checked.errors.length === 0 && checked.errors_left_off === 0;
  const importable = clean && checked.new_points > 0;

  return (
    <Stack>
      <PageHeader title="Interval data import" />
      <Card withBorder padding="md">
        <Stack gap="sm">
          <Text size="sm">
            A CSV file (UTF-8, header row) of cumulative register readings, one row per meter and time:
          </Text>
          <List size="sm" spacing={2}>
            <List.Item>
              <Code>Meter Number</Code>, <Code>Timestamp</Code> (ISO 8601 with offset, e.g. <Code>2026-10-05T14:15:00+01:00</Code>)
            </List.Item>
            <List.Item>
              <Code>Import kWh</Code>, <Code>Export kWh</Code> (optional)
            </List.Item>
            <List.Item>further columns named by OBIS code, e.g. <Code>1.0.32.7.0.255</Code></List.Item>
          </List>
          <Text size="sm" c="dimmed">
            Readings already stored with the same values are skipped, so a file can be imported again safely.
          </Text>
          <Input.Wrapper label="CSV file" id={inputId}>
            <Input
              id={inputId}
              type="file"
              accept=".csv,text/csv"
              onChange={(event) => {
                const picked = event.currentTarget.files?.[0];
                // Cleared so that picking the same file again, once fixed, runs a new check.
                event.currentTarget.value = '';
                if (picked) check(picked);
              }}
              w={{ base: '100%', xs: 420 }}
            />
          </Input.Wrapper>
          {file ? (
            <Group gap="xs" mih={24}>
              {checking ? <Loader size="xs" /> : null}
              <Text size="sm" c="dimmed">
                {checking ? `Checking ${file.name}…` : `File: ${file.name}`}
              </Text>
            </Group>
          ) : null}
        </Stack>
      </Card>
      {failure ? (
        <Alert color="red" title={checked ? 'Nothing was imported' : 'The file could not be checked'}>
          <Stack gap="xs">
            <Text size="sm">{errorMessage(failure)}</Text>
            {failure instanceof ApiError && failure.details.length ? <ImportErrorsTable errors={failure.details} /> : null}
          </Stack>
        </Alert>
      ) : null}
      {checked ? (
        <Card withBorder padding="md" component="section" aria-label="Dry run">
          <Stack gap="sm">
            <Title order={4}>Dry run</Title>
            <ReportView report={checked} />
            {!clean ? (
              <Text size="sm" c="red">
                Fix these rows in the file and pick it again: an import with any bad row writes nothing.
              </Text>
            ) : null}
            {clean && !importable ? (
              <Text size="sm" c="dimmed">
                Every reading in this file is stored already: there is nothing new to import.
              </Text>
            ) : null}
            <Group justify="flex-end">
              <Button
                leftSection={<IconFileImport size={16} />}
                disabled={!importable || !file}
                loading={committing}
                onClick={() => file && commit(file)}
              >
                {importable ? `Import ${plural(checked.new_points, 'reading', 'readings')}` : 'Import'}
              </Button>
            </Group>
          </Stack>
        </Card>
      ) : null}
      {written ? (
        <Alert color="green" icon={<IconCircleCheck size={18} />} title="Imported">
          <Stack gap="sm">
            <Text size="sm">
              {plural(written.written, 'reading', 'readings')} written for {plural(written.meters, 'meter', 'meters')}
              {written.unchanged_points ? `; ${written.unchanged_points} unchanged were skipped` : ''}.
              {written.flags ? ` ${plural(written.flags, 'register reset was', 'register resets were')} recorded in the event log.` : ''}
            </Text>
            <ReportView report={written} />
          </Stack>
        </Alert>
      ) : null}
    </Stack>
  );
}

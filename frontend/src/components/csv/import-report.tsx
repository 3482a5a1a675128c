import { Badge, Group, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import type { ErrorDetail } from '@/lib/api-client';
import type { ImportReport } from '@/lib/csv';

export function ImportErrorsTable({ errors }: { errors: ErrorDetail[] }) {
  return (
    <ScrollArea.Autosize mah={260} type="auto">
      <Table aria-label="Import errors" striped withTableBorder stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Row</Table.Th>
            <Table.Th>Field</Table.Th>
            <Table.Th>Message</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {errors.map((error, index) => (
            <Table.Tr key={index}>
              <Table.Td>{error.row ?? '—'}</Table.Td>
              <Table.Td>{error.field ?? '—'}</Table.Td>
              <Table.Td>{error.message}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}

const cell = (value: unknown) => {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
};

function PreviewTable({ rows }: { rows: ImportReport['preview'] }) {
  const columns = Object.keys(rows[0] ?? {});
  return (
    <ScrollArea.Autosize mah={260} type="auto">
      <Table aria-label="Preview" striped withTableBorder stickyHeader>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <Table.Th key={column}>{column}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row, index) => (
            <Table.Tr key={index}>
              {columns.map((column) => (
                <Table.Td key={column}>{cell(row[column])}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}

export function ImportReportView({ report }: { report: ImportReport }) {
  return (
    <Stack gap="sm">
      <Group gap="xs" aria-label="Import summary" role="group">
        <Badge variant="light" size="lg">Total rows: {report.total_rows}</Badge>
        <Badge variant="light" color="green" size="lg">Valid rows: {report.valid_rows}</Badge>
        <Badge variant="light" color={report.errors.length ? 'red' : 'gray'} size="lg">
          Errors: {report.errors.length}
        </Badge>
      </Group>
      {report.errors.length ? (
        <>
          <Title order={4}>Errors</Title>
          <ImportErrorsTable errors={report.errors} />
        </>
      ) : null}
      {report.preview.length ? (
        <>
          <Title order={4}>Preview</Title>
          <Text size="sm" c="dimmed">
            The first {report.preview.length} rows as they will be imported.
          </Text>
          <PreviewTable rows={report.preview} />
        </>
      ) : null}
    </Stack>
  );
}

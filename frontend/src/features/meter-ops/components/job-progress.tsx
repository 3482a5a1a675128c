import { Badge, Button, Card, Group, Progress, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { DataTable, type Column } from '@/components/ui/data-table';
import { PaginationBar } from '@/components/ui/pagination-bar';
import {
  jobsQueryKey,
  useJob,
  useRecentJobs,
  type ItemResult,
  type Job,
  type MeterResult,
} from '@/features/meter-ops/api/jobs';
import type { CosemObject } from '@/features/meter-ops/api/get-meter-ops';
import { FailureText } from '@/features/meter-ops/components/value-view';
import { useOnJobEnd } from '@/features/meter-ops/hooks/use-meter-jobs';
import { formatReadTime, formatValue } from '@/features/meter-ops/utils/values';

const JOB_COLORS: Record<Job['status'], string> = { running: 'blue', done: 'green', timed_out: 'orange' };
const RESULT_COLORS: Record<MeterResult['status'], string> = {
  pending: 'blue',
  done: 'green',
  failed: 'red',
  timed_out: 'orange',
};
const words = (status: string) => {
  const text = status.replace('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

export const JobStatusBadge = ({ status }: { status: Job['status'] }) => (
  <Badge variant="light" color={JOB_COLORS[status]} styles={{ label: { overflow: 'visible' } }}>
    {words(status)}
  </Badge>
);

/** A result item in words: its value (scaled by the profile object, when known) or why it failed. */
function ItemLine({ item, objects }: { item: ItemResult; objects: CosemObject[] }) {
  const kind = item.op === 'action' ? 'method' : 'attribute';
  const object = objects.find((entry) => entry.obis === item.obis && entry.kind === kind && entry.index === item.index);
  const name = item.name ?? object?.name ?? `${item.obis} ${kind} ${item.index}`;
  if (!item.ok) {
    return (
      <Group gap={4} wrap="nowrap">
        <Text size="sm">{name}:</Text>
        <FailureText reason={item.reason ?? 'failed'} detail={item.detail} />
      </Group>
    );
  }
  const value =
    item.op === 'get'
      ? formatValue(item.value, { ...object, obis: item.obis, class_id: item.class_id, index: item.index, unit: item.unit ?? object?.unit })
      : item.op === 'set'
        ? 'written'
        : 'executed';
  return (
    <Text size="sm">
      {name}: {value}
    </Text>
  );
}

/** A job's progress over its meters and each meter's values, polled until it ends. */
export function JobProgress({ jobId, objects }: { jobId: string; objects: CosemObject[] }) {
  const queryClient = useQueryClient();
  const job = useJob(jobId);
  useOnJobEnd(job.data, () => void queryClient.invalidateQueries({ queryKey: [...jobsQueryKey, 'list'] }));

  const data = job.data;
  const { done, total } = data?.progress ?? { done: 0, total: 0 };
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="job-progress-title">
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Stack gap={0}>
            <Title order={4} id="job-progress-title">
              Job progress
            </Title>
            <Text size="sm" c="dimmed">
              {data ? `${data.title} · started ${formatReadTime(data.created_at)} by ${data.created_by}` : 'Loading…'}
            </Text>
          </Stack>
          {data ? <JobStatusBadge status={data.status} /> : null}
        </Group>
        <Group gap="sm" wrap="nowrap">
          <Progress
            aria-label="Job progress"
            value={total ? (done / total) * 100 : 0}
            animated={data?.status === 'running'}
            striped={data?.status === 'running'}
            style={{ flex: 1 }}
          />
          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
            {done} / {total} meters
          </Text>
        </Group>
        {data ? (
          <Table.ScrollContainer minWidth={560}>
            <Table aria-label="Job results" verticalSpacing={6}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Meter number</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Values</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.results.map((result) => (
                  <Table.Tr key={result.meter_number}>
                    <Table.Td ff="monospace">{result.meter_number}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={RESULT_COLORS[result.status]} styles={{ label: { overflow: 'visible' } }}>
                        {words(result.status)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={2}>
                        {result.items.map((item) => (
                          <ItemLine key={`${item.op}|${item.obis}|${item.index}`} item={item} objects={objects} />
                        ))}
                      </Stack>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ) : null}
      </Stack>
    </Card>
  );
}

/** The latest jobs of everyone, newest first; one can be opened in the progress panel. */
export function RecentJobs({ activeId, onShow }: { activeId: string | null; onShow: (id: string) => void }) {
  const [meter, setMeter] = useState('');
  const [q] = useDebouncedValue(meter.trim(), 300);
  const [paging, setPaging] = useState({ q, page: 1, pageSize: 10 });
  const page = paging.q === q ? paging.page : 1;
  const jobs = useRecentJobs({ q: q || undefined, page, page_size: paging.pageSize });

  const columns: Column<Job>[] = [
    { key: 'created_at', header: 'Started', render: (job) => formatReadTime(job.created_at) },
    { key: 'title', header: 'Job', render: (job) => job.title },
    { key: 'status', header: 'Status', render: (job) => <JobStatusBadge status={job.status} /> },
    { key: 'progress', header: 'Meters done', render: (job) => `${job.progress.done} / ${job.progress.total}` },
    { key: 'created_by', header: 'By', render: (job) => job.created_by },
    {
      key: 'show',
      header: 'Progress',
      render: (job) => (
        <Button
          size="compact-xs"
          variant={job.id === activeId ? 'filled' : 'subtle'}
          aria-label={`Show job ${job.title}`}
          onClick={() => onShow(job.id)}
        >
          Show
        </Button>
      ),
    },
  ];

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="recent-jobs-title">
      <Stack gap="xs">
        <Group justify="space-between" gap="xs">
          <Title order={4} id="recent-jobs-title">
            Recent jobs
          </Title>
          <TextInput
            aria-label="Jobs for meter"
            placeholder="Jobs for meter number"
            size="xs"
            value={meter}
            onChange={(event) => setMeter(event.currentTarget.value)}
          />
        </Group>
        <DataTable
          label="Recent jobs"
          columns={columns}
          rows={jobs.data?.items}
          rowKey={(job) => job.id}
          loading={jobs.isFetching}
          emptyText={q ? `No jobs for meter ${q}.` : 'No jobs yet.'}
        />
        <PaginationBar
          page={page}
          pageSize={paging.pageSize}
          total={jobs.data?.total}
          onPageChange={(next) => setPaging({ ...paging, q, page: next })}
          onPageSizeChange={(pageSize) => setPaging({ q, page: 1, pageSize })}
        />
      </Stack>
    </Card>
  );
}

import { Alert, Anchor, Breadcrumbs, Button, Card, Group, NativeSelect, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconCheck, IconFileTypePdf, IconPlayerPlay, IconRefresh } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { DataTable, type Column } from '@/components/ui/data-table';
import { FullPageLoader } from '@/components/ui/full-page-loader';
import { PageHeader } from '@/components/ui/page-header';
import { paths } from '@/config/paths';
import { ApiError } from '@/lib/api-client';
import { usePermissions } from '@/lib/authorization';
import { useDownload } from '@/lib/csv';
import { formatDateTime, plural } from '@/lib/format';
import { errorMessage, notifySuccess } from '@/lib/notify';
import {
  downloadCaseReport,
  useAddCaseNote,
  useAssignees,
  useCase,
  useUpdateCase,
  type CaseDetail,
  type TimelineEntry,
} from '@/features/revenue/api/cases';
import { CaseStatusBadge } from '@/features/revenue/components/badges';
import { CaseError } from '@/features/revenue/components/case-error';
import { CaseEvidence } from '@/features/revenue/components/case-evidence';
import { ResolveCaseDialog } from '@/features/revenue/components/resolve-case-dialog';
import { humanize, meterLink, outcomeLabel } from '@/features/revenue/utils/labels';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text component="div">{children}</Text>
    </Stack>
  );
}

const TIMELINE_COLUMNS: Column<TimelineEntry & { n: number }>[] = [
  { key: 'at', header: 'When', render: (t) => formatDateTime(t.at) },
  { key: 'by', header: 'Who', render: (t) => t.by },
  { key: 'kind', header: 'What', render: (t) => humanize(t.kind) },
  {
    key: 'text',
    header: 'Detail',
    render: (t) => (
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {t.text}
      </Text>
    ),
  },
];

/** The moves a case can make from where it is; resolving asks for the outcome in a dialog. */
function CaseActions({ detail, onResolve }: { detail: CaseDetail; onResolve: () => void }) {
  const update = useUpdateCase();
  const assignees = useAssignees();
  const move = (body: Parameters<typeof update.mutate>[0]['body'], done: string) =>
    update.mutate({ id: detail.id, body }, { onSuccess: () => notifySuccess(done) });
  const options = assignees.data ?? [];
  const known = !detail.assignee || options.some((user) => user.username === detail.assignee);
  return (
    <Stack gap="sm">
      <Group gap="sm" align="flex-end">
        {detail.status === 'open' ? (
          <Button
            variant="default"
            leftSection={<IconPlayerPlay size={16} />}
            loading={update.isPending && update.variables?.body.status === 'investigating'}
            onClick={() => move({ status: 'investigating' }, `Case ${detail.id} is being investigated.`)}
          >
            Start investigating
          </Button>
        ) : null}
        {detail.status !== 'resolved' ? (
          <Button leftSection={<IconCheck size={16} />} onClick={onResolve}>
            Resolve
          </Button>
        ) : (
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            loading={update.isPending && update.variables?.body.status === 'investigating'}
            onClick={() => move({ status: 'investigating' }, `Case ${detail.id} reopened.`)}
          >
            Reopen
          </Button>
        )}
        <NativeSelect
          label="Assignee"
          value={detail.assignee ?? ''}
          disabled={update.isPending}
          onChange={(event) => {
            const assignee = event.currentTarget.value;
            move({ assignee }, assignee ? `Case ${detail.id} assigned to ${assignee}.` : `Case ${detail.id} unassigned.`);
          }}
          data={[
            { value: '', label: 'Unassigned' },
            ...(known || !detail.assignee ? [] : [{ value: detail.assignee, label: detail.assignee }]),
            ...options.map((user) => ({ value: user.username, label: user.full_name ?? user.username })),
          ]}
        />
      </Group>
      <CaseError error={update.error} />
    </Stack>
  );
}

function NoteForm({ id }: { id: string }) {
  const add = useAddCaseNote();
  const [text, setText] = useState('');
  const submit = () =>
    add.mutate(
      { id, text: text.trim() },
      {
        onSuccess: () => {
          setText('');
          notifySuccess('Note added.');
        },
      },
    );
  return (
    <Stack gap="xs">
      <Textarea
        label="New note"
        autosize
        minRows={2}
        maxLength={4000}
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
      />
      <CaseError error={add.error} title="The note was not added" />
      <Group justify="flex-end">
        <Button disabled={!text.trim()} loading={add.isPending} onClick={submit}>
          Add note
        </Button>
      </Group>
    </Stack>
  );
}

const BackLink = () => (
  <Anchor component={Link} to={paths.cases} size="sm">
    Investigations
  </Anchor>
);

/** One investigation: who has it and where it stands, its timeline, and the evidence it was opened on. */
export function CasePage({ id }: { id: string }) {
  const { can } = usePermissions();
  const canWrite = can('cases:write');
  const query = useCase(id);
  const pdf = useDownload(() => downloadCaseReport(id));
  const [resolving, setResolving] = useState(false);

  if (query.isPending) return <FullPageLoader />;
  if (query.isError) {
    const missing = query.error instanceof ApiError && query.error.status === 404;
    return (
      <Stack>
        <BackLink />
        <Alert color="red" title={missing ? `Case ${id} does not exist` : 'The case could not be loaded'}>
          {missing ? 'Check the case number.' : errorMessage(query.error)}
        </Alert>
      </Stack>
    );
  }

  const detail = query.data;
  return (
    <Stack>
      <Breadcrumbs>
        <BackLink />
        <Text size="sm">{detail.id}</Text>
      </Breadcrumbs>
      <PageHeader title={detail.id}>
        <Button variant="default" leftSection={<IconFileTypePdf size={16} />} loading={pdf.isPending} onClick={() => pdf.mutate()}>
          Download PDF
        </Button>
      </PageHeader>
      <Card withBorder padding="lg">
        <Stack>
          <Group gap="sm">
            <Title order={3} fz="lg">
              {detail.title}
            </Title>
            <CaseStatusBadge status={detail.status} />
          </Group>
          <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }}>
            <Fact label="Meter">
              <Anchor component={Link} to={meterLink(detail.meter_number)} ff="monospace">
                {detail.meter_number}
              </Anchor>
            </Fact>
            <Fact label="Customer">{detail.customer_name ?? '—'}</Fact>
            <Fact label="Area">{detail.area_name ?? '—'}</Fact>
            <Fact label="Assignee">{detail.assignee ?? 'Unassigned'}</Fact>
            <Fact label="Outcome">{outcomeLabel(detail.outcome)}</Fact>
            <Fact label="Opened">
              {formatDateTime(detail.created_at)} by {detail.created_by}
            </Fact>
            <Fact label="From">{humanize(detail.source)}</Fact>
            <Fact label="Linked alerts">{plural(detail.alert_ids.length, 'alert', 'alerts')}</Fact>
            {detail.resolved_at ? (
              <Fact label="Resolved">
                {formatDateTime(detail.resolved_at)} by {detail.resolved_by ?? '—'}
              </Fact>
            ) : null}
          </SimpleGrid>
          {canWrite ? <CaseActions detail={detail} onResolve={() => setResolving(true)} /> : null}
        </Stack>
      </Card>
      <Card withBorder padding="md" component="section" aria-label="Timeline">
        <Stack gap="sm">
          <Title order={4}>Timeline</Title>
          <DataTable
            label="Case timeline"
            columns={TIMELINE_COLUMNS}
            rows={detail.timeline.map((entry, n) => ({ ...entry, n }))}
            rowKey={(entry) => String(entry.n)}
            loading={false}
            emptyText="Nothing yet."
            minWidth={720}
          />
          {canWrite ? <NoteForm id={detail.id} /> : null}
        </Stack>
      </Card>
      <Title order={3}>Evidence</Title>
      <CaseEvidence detail={detail} />
      {canWrite ? <ResolveCaseDialog detail={detail} opened={resolving} onClose={() => setResolving(false)} /> : null}
    </Stack>
  );
}

import { Alert, Badge, Button, Card, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconTicket } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { DataTable, type Column } from '@/components/ui/data-table';
import { PaginationBar } from '@/components/ui/pagination-bar';
import { usePermissions } from '@/lib/authorization';
import { serverFieldErrors } from '@/lib/form';
import { errorMessage } from '@/lib/notify';
import { meterOpsQueryKey } from '@/features/meter-ops/api/get-meter-ops';
import { useJob } from '@/features/meter-ops/api/jobs';
import { tokenHistoryQueryKey, useLoadToken, useTokenHistory, type TokenLoad } from '@/features/meter-ops/api/remote';
import { MeterOpsPage } from '@/features/meter-ops/components/meter-picker';
import { useOnJobEnd } from '@/features/meter-ops/hooks/use-meter-jobs';
import { formatNumber, formatReadTime } from '@/features/meter-ops/utils/values';

export const TOKEN_LENGTH = 20;

/** The digits of what was typed or pasted (spaces, dashes and anything else dropped). */
export const tokenDigits = (text: string) => text.replace(/\D/g, '');

/** Digits (or masked digits) in groups of four: 1234-5678-9012-3456-7890. */
export const groupToken = (token: string) => token.replace(/(.{4})(?=.)/g, '$1-');

export function tokenProblem(digits: string) {
  if (digits.length === 0) return 'Enter the 20-digit token';
  if (digits.length !== TOKEN_LENGTH) return `A token has 20 digits; ${digits.length} entered`;
  return null;
}

const STATUS_COLORS: Record<TokenLoad['status'], string> = {
  pending: 'blue',
  accepted: 'green',
  rejected: 'red',
  failed: 'orange',
};

const statusLabel = (status: TokenLoad['status']) => status.charAt(0).toUpperCase() + status.slice(1);

const credit = (load: TokenLoad) => (load.credit_wh === null ? '—' : `${formatNumber(load.credit_wh)} Wh`);

const COLUMNS: Column<TokenLoad>[] = [
  { key: 'requested_at', header: 'Requested', render: (load) => formatReadTime(load.requested_at) },
  {
    key: 'token',
    header: 'Token',
    render: (load) => (
      <Text ff="monospace" size="sm">
        {groupToken(load.token)}
      </Text>
    ),
  },
  {
    key: 'status',
    header: 'Status',
    render: (load) => (
      <Badge variant="light" color={STATUS_COLORS[load.status]} styles={{ label: { overflow: 'visible' } }}>
        {statusLabel(load.status)}
      </Badge>
    ),
  },
  { key: 'detail', header: 'Detail', render: (load) => load.detail ?? '—' },
  { key: 'credit_wh', header: 'Credit read back', render: credit },
  { key: 'requested_by', header: 'By', render: (load) => load.requested_by },
];

function TokenHistory({ meterNumber }: { meterNumber: string }) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(10);
  const history = useTokenHistory(meterNumber, page, pageSize);
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="token-history-title">
      <Stack gap="xs">
        <Title order={4} id="token-history-title">
          Token history
        </Title>
        <DataTable
          label="Token history"
          columns={COLUMNS}
          rows={history.data?.items}
          rowKey={(load) => load.id}
          loading={history.isFetching}
          emptyText="No tokens have been loaded on this meter."
        />
        <PaginationBar
          page={page}
          pageSize={pageSize}
          total={history.data?.total}
          onPageChange={setPage}
          onPageSizeChange={(size) => {
            setPageSize(size);
            setPage(1);
          }}
        />
      </Stack>
    </Card>
  );
}

/** How a load ended, from the meter's token history (which the job's read-back fills in). */
function LoadResult({ meterNumber, jobId }: { meterNumber: string; jobId: string }) {
  const job = useJob(jobId);
  const history = useTokenHistory(meterNumber, 1, 10);
  const load = history.data?.items.find((entry) => entry.id === jobId || entry.job === jobId);
  const running = !job.data || job.data.status === 'running';

  if (job.data?.status === 'timed_out' && (!load || load.status === 'pending')) {
    return (
      <Alert color="red" title="No answer from the meter">
        The meter did not answer in time; the token may not have been applied. Check the history before loading it again.
      </Alert>
    );
  }
  if (running || !load || load.status === 'pending') {
    return (
      <Alert color="blue" variant="light" icon={<Loader size="xs" />} title={`Loading the token on meter ${meterNumber}…`}>
        {running ? 'Waiting for the meter to answer.' : 'Reading the result back.'}
      </Alert>
    );
  }
  const title = { accepted: 'Token accepted', rejected: 'Token rejected', failed: 'Token not loaded' }[load.status];
  return (
    <Alert color={load.status === 'accepted' ? 'green' : 'red'} title={title}>
      <Stack gap={2}>
        {load.detail ? (
          <Text size="sm" c={load.status === 'accepted' ? undefined : 'red'}>
            {load.detail}
          </Text>
        ) : null}
        <Text size="sm">Credit read back: {credit(load)}</Text>
      </Stack>
    </Alert>
  );
}

function TokenForm({ meterNumber, onLoaded }: { meterNumber: string; onLoaded: (jobId: string) => void }) {
  const load = useLoadToken();
  const [digits, setDigits] = useState('');
  const [error, setError] = useState<ReactNode>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = tokenProblem(digits);
    setError(problem);
    if (problem) return;
    load.mutate(
      { meterNumber, token: digits },
      {
        onSuccess: ({ id }) => {
          setDigits('');
          onLoaded(id);
        },
        onError: (failure) => setError(serverFieldErrors(failure, ['token']).token ?? null),
      },
    );
  };

  const apiError = load.error && !serverFieldErrors(load.error, ['token']).token ? load.error : null;
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="xs">
        <TextInput
          label="Token"
          description="20 digits, as on the customer's receipt"
          placeholder="1234-5678-9012-3456-7890"
          inputMode="numeric"
          autoComplete="off"
          maw={360}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          value={groupToken(digits)}
          error={error}
          onChange={(event) => {
            setDigits(tokenDigits(event.currentTarget.value).slice(0, TOKEN_LENGTH + 4));
            setError(null);
          }}
        />
        <Group>
          <Button type="submit" leftSection={<IconTicket size={16} />} loading={load.isPending}>
            Load token
          </Button>
        </Group>
        {apiError ? (
          <Alert color="red" title="The token was not sent">
            {errorMessage(apiError)}
          </Alert>
        ) : null}
      </Stack>
    </form>
  );
}

function TokenPanel({ meterNumber }: { meterNumber: string }) {
  const canExecute = usePermissions().can('commands:execute');
  const queryClient = useQueryClient();
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);

  useOnJobEnd(job.data, () => {
    void queryClient.invalidateQueries({ queryKey: tokenHistoryQueryKey(meterNumber) });
    void queryClient.invalidateQueries({ queryKey: [...meterOpsQueryKey, 'status', meterNumber] });
  });

  const loaded = (id: string) => {
    setJobId(id);
    void queryClient.invalidateQueries({ queryKey: tokenHistoryQueryKey(meterNumber) });
  };

  return (
    <Stack>
      <Card withBorder padding="md" component="section" aria-labelledby="token-load-title">
        <Stack>
          <Title order={4} id="token-load-title">
            Load a token
          </Title>
          {canExecute ? (
            <>
              <TokenForm meterNumber={meterNumber} onLoaded={loaded} />
              {jobId ? <LoadResult meterNumber={meterNumber} jobId={jobId} /> : null}
            </>
          ) : (
            <Alert color="gray" variant="light">
              Your role can see the token history but not load tokens.
            </Alert>
          )}
        </Stack>
      </Card>
      <TokenHistory meterNumber={meterNumber} />
    </Stack>
  );
}

/** Remote loading: prepaid tokens sent to one meter, with the result and the credit read back. */
export function RemoteLoading() {
  return <MeterOpsPage title="Remote loading">{(meterNumber) => <TokenPanel meterNumber={meterNumber} />}</MeterOpsPage>;
}

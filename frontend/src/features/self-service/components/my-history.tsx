import { Alert, Badge, Card, Group, Pagination, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { formatDateTime } from '@/lib/format';
import { errorMessage } from '@/lib/notify';
import { humanize } from '@/features/operations/utils/format';
import { useMyEvents, useMyTokens, type MyTokenLoad } from '@/features/self-service/api/my-meters';

const PAGE_SIZE = 10;
const TOKEN_STATUS: Record<MyTokenLoad['status'], string> = {
  accepted: 'green',
  pending: 'blue',
  rejected: 'red',
  failed: 'orange',
};
const kwh = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

interface HistoryCardProps {
  title: string;
  query: { isPending: boolean; isError: boolean; error: unknown; data?: { total: number } };
  empty: string;
  page: number;
  onPage: (page: number) => void;
  children: ReactNode;
}

/** A titled card with a list, its loading / error / empty states and page numbers. */
function HistoryCard({ title, query, empty, page, onPage, children }: HistoryCardProps) {
  const pages = Math.ceil((query.data?.total ?? 0) / PAGE_SIZE);
  return (
    <Card withBorder padding="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <Title order={3} size="h4">
          {title}
        </Title>
        {query.isError ? <Alert color="red">{errorMessage(query.error)}</Alert> : null}
        {query.isPending ? <Skeleton height={80} radius="sm" /> : null}
        {query.data?.total === 0 ? <Text c="dimmed">{empty}</Text> : null}
        <Stack gap={0} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={title}>
          {children}
        </Stack>
        {pages > 1 ? <Pagination size="sm" total={pages} value={page} onChange={onPage} /> : null}
      </Stack>
    </Card>
  );
}

function Row({ children }: { children: ReactNode }) {
  return (
    <Group component="li" justify="space-between" wrap="nowrap" gap="xs" py={8} style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
      {children}
    </Group>
  );
}

export function MyTokens({ meterNumber }: { meterNumber: string }) {
  const [page, setPage] = useState(1);
  const tokens = useMyTokens(meterNumber, page);
  return (
    <HistoryCard title="Token history" query={tokens} empty="No token has been loaded yet." page={page} onPage={setPage}>
      {tokens.data?.items.map((load) => (
        <Row key={load.id}>
          <Stack gap={0}>
            <Text size="sm" ff="monospace">
              •••• {load.token.slice(-4)}
            </Text>
            <Text size="xs" c="dimmed">
              {formatDateTime(load.requested_at)}
            </Text>
          </Stack>
          <Stack gap={2} align="flex-end">
            <Badge color={TOKEN_STATUS[load.status]} variant="light">
              {humanize(load.status)}
            </Badge>
            {load.credit_wh !== null && load.credit_wh !== undefined ? (
              <Text size="xs" c="dimmed">
                credit {kwh.format(load.credit_wh / 1000)} kWh
              </Text>
            ) : load.detail && load.status !== 'accepted' ? (
              <Text size="xs" c="dimmed">
                {load.detail}
              </Text>
            ) : null}
          </Stack>
        </Row>
      ))}
    </HistoryCard>
  );
}

export function MyEvents({ meterNumber }: { meterNumber: string }) {
  const [page, setPage] = useState(1);
  const events = useMyEvents(meterNumber, page);
  return (
    <HistoryCard title="Recent events" query={events} empty="No events recorded." page={page} onPage={setPage}>
      {events.data?.items.map((event, index) => (
        <Row key={`${event.at}-${event.type}-${index}`}>
          <Text size="sm">{humanize(event.type)}</Text>
          <Text size="xs" c="dimmed" ta="right">
            {formatDateTime(event.at)}
          </Text>
        </Row>
      ))}
    </HistoryCard>
  );
}

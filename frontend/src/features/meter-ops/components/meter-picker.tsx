import { Alert, Box, Card, Grid, Group, Loader, NavLink, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { Fragment, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '@/components/ui/page-header';
import { ApiError } from '@/lib/api-client';
import { useAreaFilter } from '@/lib/area-filter';
import { usePermissions } from '@/lib/authorization';
import { formatDateTime } from '@/lib/format';
import { errorMessage } from '@/lib/notify';
import { useCustomer, useMeter, useMeterList, useMeterStatus } from '@/features/meter-ops/api/get-meter-ops';
import { OnlineBadge, OnlineIndicator } from '@/features/meter-ops/components/online-status';

const RESULTS = 8;

/** Search by meter number (within the header's area filter) and pick one meter. */
export function MeterPicker({ selected, onSelect }: { selected: string; onSelect: (meterNumber: string) => void }) {
  const [area] = useAreaFilter();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const meters = useMeterList({ q: q || undefined, area: area || undefined, sort: 'meter_number', page_size: RESULTS });
  const items = meters.data?.items ?? [];
  const total = meters.data?.total ?? 0;

  const pickTyped = () => {
    const typed = search.trim();
    const match = items.find((meter) => meter.meter_number === typed) ?? (items.length === 1 ? items[0] : undefined);
    if (match) onSelect(match.meter_number);
  };

  return (
    <Card withBorder padding="sm" component="section" aria-label="Find a meter">
      <Stack gap="xs">
        <TextInput
          label="Meter number"
          placeholder="Search meters"
          leftSection={<IconSearch size={16} />}
          rightSection={meters.isFetching ? <Loader size={14} /> : null}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') pickTyped();
          }}
        />
        {meters.isError ? (
          <Text size="sm" c="red">
            {errorMessage(meters.error)}
          </Text>
        ) : null}
        <Box component="ul" aria-label="Meters found" p={0} m={0} style={{ listStyle: 'none' }}>
          {items.map((meter) => (
            <li key={meter.meter_number}>
              <NavLink
                component="button"
                type="button"
                active={meter.meter_number === selected}
                aria-current={meter.meter_number === selected ? 'true' : undefined}
                label={
                  <Text ff="monospace" size="sm">
                    {meter.meter_number}
                  </Text>
                }
                description={meter.customer_name ?? meter.area_name ?? undefined}
                rightSection={<OnlineIndicator online={meter.online} size="xs" />}
                onClick={() => onSelect(meter.meter_number)}
              />
            </li>
          ))}
        </Box>
        {meters.isSuccess && items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {q || area ? 'No meters match.' : 'No meters yet.'}
          </Text>
        ) : null}
        {total > items.length ? (
          <Text size="xs" c="dimmed">
            {items.length} of {total} shown; type more of the number to narrow the list.
          </Text>
        ) : null}
      </Stack>
    </Card>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The chosen meter: who and where it is, and whether it is online now. */
export function MeterSummary({ meterNumber }: { meterNumber: string }) {
  const canReadCustomers = usePermissions().can('customers:read');
  const meter = useMeter(meterNumber);
  const status = useMeterStatus(meterNumber);
  const customer = useCustomer(meter.data?.customer_id ?? null, canReadCustomers);

  let body: ReactNode;
  if (meter.isPending) {
    body = <Loader size="sm" />;
  } else if (meter.isError) {
    const missing = meter.error instanceof ApiError && meter.error.status === 404;
    body = (
      <Alert color="red" title={missing ? 'This meter does not exist' : 'The meter could not be loaded'}>
        {missing ? 'It may have been deleted.' : errorMessage(meter.error)}
      </Alert>
    );
  } else {
    const data = meter.data;
    const online = status.data?.online ?? data.online;
    const lastSeen = status.data ? status.data.last_seen : data.last_seen;
    const counters = status.data?.invocation_counters;
    body = (
      <Stack gap="xs">
        <Group gap="xs">
          <OnlineBadge online={online} />
          <Text size="xs" c="dimmed">
            Last seen {formatDateTime(lastSeen)}
          </Text>
        </Group>
        <Fact label="Customer">
          {data.customer_name ?? '—'}
          {customer.data ? (
            <Text size="xs" c="dimmed">
              {[customer.data.phone, customer.data.address].filter(Boolean).join(' · ')}
            </Text>
          ) : null}
        </Fact>
        <Fact label="Area">{data.area_name ?? '—'}</Fact>
        <Fact label="Concentrator">{data.concentrator_id}</Fact>
        <Fact label="SIM">{data.sim_number ?? '—'}</Fact>
        <Fact label="Type and status">
          {data.meter_type} · {capitalise(data.status)}
        </Fact>
        {online && status.data?.peer ? (
          <Fact label="Connected from">
            {status.data.peer}
            {status.data.edge ? ` · edge ${status.data.edge}` : ''}
          </Fact>
        ) : null}
        {counters ? (
          <Fact label="HLS frame counters">
            ours {counters.hes ?? '—'} · meter&apos;s {counters.meter ?? '—'}
          </Fact>
        ) : null}
      </Stack>
    );
  }

  return (
    <Card withBorder padding="sm" component="section" aria-labelledby="meter-summary-title">
      <Stack gap="xs">
        <Title order={4} id="meter-summary-title">
          Meter {meterNumber}
        </Title>
        {body}
      </Stack>
    </Card>
  );
}

/**
 * The layout of the single-meter pages: the search and the chosen meter's details in the left
 * quarter, the page's work on the right. The choice is kept in the address (`?meter=`), so a
 * reload or a link opens the same meter; the right side starts afresh for each meter.
 */
export function MeterOpsPage({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: (meterNumber: string) => ReactNode;
}) {
  const [params, setParams] = useSearchParams();
  const selected = params.get('meter') ?? '';
  return (
    <Stack>
      <PageHeader title={title}>{actions}</PageHeader>
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 3 }}>
          <Stack>
            <MeterPicker selected={selected} onSelect={(meterNumber) => setParams({ meter: meterNumber })} />
            {selected ? <MeterSummary meterNumber={selected} /> : null}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 9 }}>
          {selected ? (
            <Fragment key={selected}>{children(selected)}</Fragment>
          ) : (
            <Card withBorder padding="xl">
              <Text c="dimmed" ta="center">
                Search for a meter on the left and choose it.
              </Text>
            </Card>
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

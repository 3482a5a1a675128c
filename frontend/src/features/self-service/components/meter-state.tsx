import { Group, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatDateTime } from '@/lib/format';
import { OnlineBadge, RelayBadge } from '@/features/meter-ops/components/online-status';
import type { MyMeter } from '@/features/self-service/api/my-meters';

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** Credit in the unit a customer reads on the meter: Wh as kWh, any other unit as it comes. */
export function formatCredit(credit: MyMeter['credit']) {
  if (!credit) return 'Not reported yet';
  if (credit.unit === 'Wh') return `${number.format(credit.value / 1000)} kWh`;
  return `${number.format(credit.value)}${credit.unit ? ` ${credit.unit}` : ''}`;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text component="div" size="sm" fw={500}>
        {children}
      </Text>
    </Stack>
  );
}

/** The meter's state: online, relay, credit (only where its profile has a credit register), register reading. */
export function MeterState({ meter }: { meter: MyMeter }) {
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <OnlineBadge online={meter.online} />
        <RelayBadge state={meter.relay_state ?? null} />
      </Group>
      <SimpleGrid cols={2} spacing="sm" verticalSpacing="sm">
        {meter.has_credit ? (
          <Fact label="Credit">
            {formatCredit(meter.credit)}
            {meter.credit?.at ? (
              <Text size="xs" c="dimmed">
                as of {formatDateTime(meter.credit.at)}
              </Text>
            ) : null}
          </Fact>
        ) : null}
        <Fact label="Meter reading">
          {meter.import_kwh === null || meter.import_kwh === undefined ? '—' : `${number.format(meter.import_kwh)} kWh`}
        </Fact>
        <Fact label="Last heard from">{formatDateTime(meter.last_seen)}</Fact>
        <Fact label="Type">{meter.meter_type}</Fact>
      </SimpleGrid>
    </Stack>
  );
}

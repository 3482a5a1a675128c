import { Alert, Anchor, Card, SimpleGrid, Skeleton, Stack } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link } from 'react-router';
import { paths } from '@/config/paths';
import { PageHeader } from '@/components/ui/page-header';
import { errorMessage } from '@/lib/notify';
import { useMyMeter } from '@/features/self-service/api/my-meters';
import { MeterState } from '@/features/self-service/components/meter-state';
import { MyConsumption } from '@/features/self-service/components/my-consumption';
import { MyEvents, MyTokens } from '@/features/self-service/components/my-history';

/** One of the customer's meters: its state, consumption with downloads, token loads and recent events. */
export function MyMeter({ meterNumber }: { meterNumber: string }) {
  const meter = useMyMeter(meterNumber);
  return (
    <Stack>
      <Anchor component={Link} to={paths.myMeters} size="sm">
        <IconArrowLeft size={14} style={{ verticalAlign: 'middle' }} /> All my meters
      </Anchor>
      <PageHeader title={`Meter ${meterNumber}`} />
      {meter.isError ? (
        <Alert color="red" title="This meter could not be loaded">
          {errorMessage(meter.error)}
        </Alert>
      ) : null}
      {meter.isPending ? <Skeleton height={140} radius="md" /> : null}
      {meter.data ? (
        <>
          <Card withBorder padding="md" component="section" aria-label="Status">
            <MeterState meter={meter.data} />
          </Card>
          <MyConsumption meterNumber={meterNumber} />
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <MyTokens meterNumber={meterNumber} />
            <MyEvents meterNumber={meterNumber} />
          </SimpleGrid>
        </>
      ) : null}
    </Stack>
  );
}

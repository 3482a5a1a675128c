import { Alert, Button, Card, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconChartBar } from '@tabler/icons-react';
import { generatePath, Link } from 'react-router';
import { paths } from '@/config/paths';
import { PageHeader } from '@/components/ui/page-header';
import { errorMessage } from '@/lib/notify';
import { useMyMeters, type MyMeter } from '@/features/self-service/api/my-meters';
import { MeterState } from '@/features/self-service/components/meter-state';

function MeterCard({ meter }: { meter: MyMeter }) {
  return (
    <Card withBorder padding="md" component="article" aria-label={`Meter ${meter.meter_number}`}>
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={3} size="h4" ff="monospace">
            {meter.meter_number}
          </Title>
          {meter.area_name ? (
            <Text size="sm" c="dimmed">
              {meter.area_name}
            </Text>
          ) : null}
        </Group>
        <MeterState meter={meter} />
        <Button
          component={Link}
          to={generatePath(paths.myMeter, { meterNumber: meter.meter_number })}
          variant="light"
          leftSection={<IconChartBar size={16} />}
          fullWidth
        >
          Consumption and history
        </Button>
      </Stack>
    </Card>
  );
}

/** The customer's start page: one card per meter assigned to its customer record. */
export function MyMeters() {
  const meters = useMyMeters();
  return (
    <Stack>
      <PageHeader title="My meters" />
      {meters.data ? <Text c="dimmed">{meters.data.customer_name}</Text> : null}
      {meters.isError ? (
        <Alert color="red" title="Your meters could not be loaded">
          {errorMessage(meters.error)}
        </Alert>
      ) : null}
      {meters.isPending ? <Skeleton height={260} radius="md" /> : null}
      {meters.data && meters.data.items.length === 0 ? (
        <Card withBorder padding="xl">
          <Text c="dimmed" ta="center">
            No meter is assigned to you yet.
          </Text>
        </Card>
      ) : null}
      <SimpleGrid cols={{ base: 1, sm: 2, xl: 3 }}>
        {meters.data?.items.map((meter) => <MeterCard key={meter.meter_number} meter={meter} />)}
      </SimpleGrid>
    </Stack>
  );
}

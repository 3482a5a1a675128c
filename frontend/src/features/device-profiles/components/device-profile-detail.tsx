import { Alert, Anchor, Badge, Breadcrumbs, Button, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { FullPageLoader } from '@/components/ui/full-page-loader';
import { PageHeader } from '@/components/ui/page-header';
import { paths } from '@/config/paths';
import { ApiError } from '@/lib/api-client';
import { usePermissions } from '@/lib/authorization';
import { formatDateTime } from '@/lib/format';
import { errorMessage } from '@/lib/notify';
import { useDeviceProfile } from '@/features/device-profiles/api/get-device-profiles';
import { DeviceProfileFormModal } from '@/features/device-profiles/components/device-profile-form';
import { ProfileObjects } from '@/features/device-profiles/components/profile-objects';
import { PushLayoutCard } from '@/features/device-profiles/components/push-layout-card';

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

const BackLink = () => (
  <Anchor component={Link} to={paths.deviceProfiles} size="sm">
    Device profiles
  </Anchor>
);

export function DeviceProfileDetail({ id }: { id: string }) {
  const permissions = usePermissions();
  const canWrite = permissions.can('profiles:write');
  const canDiscover = permissions.can('commands:execute');
  const query = useDeviceProfile(id);
  const [editing, setEditing] = useState(false);

  if (query.isPending) return <FullPageLoader />;
  if (query.isError) {
    const missing = query.error instanceof ApiError && query.error.status === 404;
    return (
      <Stack>
        <BackLink />
        <Alert color="red" title={missing ? 'This device profile does not exist' : 'The device profile could not be loaded'}>
          {missing ? 'It may have been deleted.' : errorMessage(query.error)}
        </Alert>
      </Stack>
    );
  }

  const profile = query.data;
  const name = `${profile.brand} ${profile.model}`;
  return (
    <Stack>
      <Breadcrumbs>
        <BackLink />
        <Text size="sm">{name}</Text>
      </Breadcrumbs>
      <PageHeader title={name}>
        {canWrite ? (
          <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
            Edit device profile
          </Button>
        ) : null}
      </PageHeader>
      <Card withBorder padding="lg">
        <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }}>
          <Fact label="Brand">{profile.brand}</Fact>
          <Fact label="Model">{profile.model}</Fact>
          <Fact label="Meter type">{profile.meter_type ?? '—'}</Fact>
          <Fact label="Meters">
            <Group gap="xs">
              <span>{profile.meter_count}</span>
              {profile.is_default ? (
                <Badge variant="light" size="sm">
                  Default profile
                </Badge>
              ) : null}
            </Group>
          </Fact>
          <Fact label="Updated">{formatDateTime(profile.updated_at)}</Fact>
        </SimpleGrid>
      </Card>
      <ProfileObjects profile={profile} canWrite={canWrite} canDiscover={canDiscover} />
      <PushLayoutCard profile={profile} canWrite={canWrite} />
      {canWrite ? <DeviceProfileFormModal opened={editing} profile={profile} onClose={() => setEditing(false)} /> : null}
    </Stack>
  );
}

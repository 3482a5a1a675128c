import { Alert, Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { errorMessage } from '@/lib/notify';
import { useMeter, useProfile, type DeviceProfile } from '@/features/meter-ops/api/get-meter-ops';

/**
 * Renders `children` with the meter's device profile (or the default profile when the meter has
 * none, or `meterNumber` is null): what can be read, written and executed comes from it.
 */
export function ProfileGate({
  meterNumber,
  children,
}: {
  meterNumber: string | null;
  children: (profile: DeviceProfile) => ReactNode;
}) {
  const meter = useMeter(meterNumber ?? '', meterNumber !== null);
  const profile = useProfile(meter.data?.device_profile ?? null, meterNumber === null || meter.isSuccess);

  if (meter.isError) return null; // the meter's details say why
  if (profile.isError) {
    return (
      <Alert color="red" title="The device profile could not be loaded">
        {errorMessage(profile.error)}
      </Alert>
    );
  }
  if (profile.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading the device profile" />
      </Center>
    );
  }
  if (!profile.data) {
    return (
      <Alert color="yellow" title="No device profile">
        The meter has no device profile and there is no default profile, so its parameters are unknown.
      </Alert>
    );
  }
  return children(profile.data);
}

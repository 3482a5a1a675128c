import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { usePermissions } from '@/lib/authorization';
import { devicesQueryKey } from '@/features/devices/api/get-unregistered-devices';
import { UnregisteredDevicesList } from '@/features/devices/components/unregistered-devices-list';
import { MeterFormModal } from '@/features/meters/components/meter-form';

/**
 * Commissioning: a device that dialled in becomes a meter through the meters' own add form; the
 * server then takes it off the unregistered list.
 */
export function Component() {
  const canCommission = usePermissions().can('meters:write');
  const queryClient = useQueryClient();
  const [address, setAddress] = useState<string | null>(null);
  const close = () => {
    setAddress(null);
    void queryClient.invalidateQueries({ queryKey: devicesQueryKey });
  };
  return (
    <>
      <UnregisteredDevicesList onCommission={canCommission ? setAddress : undefined} />
      {canCommission ? (
        <MeterFormModal
          opened={address !== null}
          meter={null}
          meterNumber={address ?? undefined}
          onClose={close}
        />
      ) : null}
    </>
  );
}

import { NativeSelect } from '@mantine/core';
import { IconMapPin } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useAreaFilter } from '@/lib/area-filter';
import { useAreaOptions } from '@/features/areas/api/get-areas';

/** The header's global area filter. A remembered area that no longer exists falls back to all areas. */
export function AreaSelector() {
  const [area, setArea] = useAreaFilter();
  const { data } = useAreaOptions();
  const areas = data?.items;

  useEffect(() => {
    if (areas && area && !areas.some((item) => item.id === area)) setArea('');
  }, [areas, area, setArea]);

  return (
    <NativeSelect
      aria-label="Area filter"
      leftSection={<IconMapPin size={16} />}
      value={area}
      disabled={!areas}
      onChange={(event) => setArea(event.currentTarget.value)}
      data={[{ value: '', label: 'All areas' }, ...(areas ?? []).map((item) => ({ value: item.id, label: item.name }))]}
      w={{ base: 150, sm: 220 }}
    />
  );
}

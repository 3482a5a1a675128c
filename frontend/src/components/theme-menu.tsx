import {
  ActionIcon,
  Popover,
  Radio,
  SegmentedControl,
  Stack,
  Text,
  useMantineColorScheme,
  type MantineColorScheme,
} from '@mantine/core';
import { IconPalette } from '@tabler/icons-react';
import { ACCENTS, isAccent } from '@/config/theme';
import { useAccent } from '@/lib/accent';

const SCHEMES = [
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
  { value: 'auto', label: 'System' },
];

/** Light/dark and the accent colour; both are remembered in the browser. */
export function ThemeMenu() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const [accent, setAccent] = useAccent();

  return (
    <Popover position="bottom-end" width={240} shadow="md">
      <Popover.Target>
        <ActionIcon variant="subtle" color="gray" size="lg" aria-label="Theme">
          <IconPalette size={18} />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="sm">
          <Text size="sm" fw={600} id="theme-scheme-label">
            Colour scheme
          </Text>
          <SegmentedControl
            aria-labelledby="theme-scheme-label"
            fullWidth
            size="xs"
            value={colorScheme}
            onChange={(value) => setColorScheme(value as MantineColorScheme)}
            data={SCHEMES}
          />
          <Radio.Group label="Accent" value={accent} onChange={(value) => isAccent(value) && setAccent(value)}>
            <Stack gap={6} mt={6}>
              {ACCENTS.map(({ value, label, color }) => (
                <Radio key={value} value={value} label={label} color={color} />
              ))}
            </Stack>
          </Radio.Group>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

import { createTheme, type MantineColorsTuple } from '@mantine/core';

const gridBlue: MantineColorsTuple = [
  '#e6f0fc', '#cddff6', '#9bbdeb', '#6699e0', '#3b7bd7',
  '#2069d2', '#1360d1', '#054fba', '#0046a7', '#003c94',
];

const amber: MantineColorsTuple = [
  '#fff8e1', '#ffefcc', '#ffdd9b', '#ffca64', '#ffba38',
  '#ffb01b', '#ffab09', '#e39500', '#ca8500', '#af7100',
];

export const ACCENTS = [
  { value: 'grid-blue', label: 'Grid Blue', color: 'gridBlue' },
  { value: 'teal', label: 'Teal', color: 'teal' },
  { value: 'amber', label: 'Amber', color: 'amber' },
  { value: 'violet', label: 'Violet', color: 'violet' },
] as const;

export type Accent = (typeof ACCENTS)[number]['value'];

export const isAccent = (value: string | null): value is Accent => ACCENTS.some((accent) => accent.value === value);

export function buildTheme(accent: Accent) {
  return createTheme({
    primaryColor: ACCENTS.find((item) => item.value === accent)?.color ?? 'gridBlue',
    colors: { gridBlue, amber },
    autoContrast: true,
    defaultRadius: 'md',
    fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  });
}

import { TextInput, type StyleProp } from '@mantine/core';

export interface DateRange {
  from: string;
  to: string;
}

interface Props {
  value: DateRange;
  onChange: (range: DateRange) => void;
  /** Field width; full width on a phone, fixed from `xs` up by default. */
  w?: StyleProp<React.CSSProperties['width']>;
  /** Under "From" (an empty one keeps the two fields aligned beside others with descriptions). */
  fromDescription?: string;
}

/** The "From" and "To" local days of a report, each bounding the other. */
export function DateRangeInputs({ value, onChange, w = { base: '100%', xs: 160 }, fromDescription }: Props) {
  return (
    <>
      <TextInput
        type="date"
        label="From"
        description={fromDescription}
        value={value.from}
        max={value.to || undefined}
        onChange={(event) => onChange({ ...value, from: event.currentTarget.value })}
        w={w}
      />
      <TextInput
        type="date"
        label="To"
        description={fromDescription === undefined ? undefined : ' '}
        value={value.to}
        min={value.from || undefined}
        onChange={(event) => onChange({ ...value, to: event.currentTarget.value })}
        w={w}
      />
    </>
  );
}

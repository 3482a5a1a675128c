import { ActionIcon, Group, Tooltip } from '@mantine/core';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { Column } from '@/components/ui/data-table';

export interface RowActionsProps {
  /** What the row is, for the buttons' names: "meter 0431…" gives "Edit meter 0431…". */
  subject: string;
  onEdit?: () => void;
  onDelete?: () => void;
  children?: ReactNode;
}

export function RowActions({ subject, onEdit, onDelete, children }: RowActionsProps) {
  return (
    <Group gap={4} wrap="nowrap" justify="flex-end">
      {children}
      {onEdit ? (
        <Tooltip label="Edit">
          <ActionIcon variant="subtle" aria-label={`Edit ${subject}`} onClick={onEdit}>
            <IconPencil size={18} />
          </ActionIcon>
        </Tooltip>
      ) : null}
      {onDelete ? (
        <Tooltip label="Delete">
          <ActionIcon variant="subtle" color="red" aria-label={`Delete ${subject}`} onClick={onDelete}>
            <IconTrash size={18} />
          </ActionIcon>
        </Tooltip>
      ) : null}
    </Group>
  );
}

/** The columns plus an "Actions" column of edit/delete buttons, when the user may change rows. */
export function withRowActions<T>(columns: Column<T>[], enabled: boolean, actions: (row: T) => RowActionsProps): Column<T>[] {
  if (!enabled) return columns;
  return [...columns, { key: 'actions', header: 'Actions', render: (row: T) => <RowActions {...actions(row)} /> }];
}

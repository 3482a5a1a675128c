import { Group, Skeleton, Table, Text, UnstyledButton } from '@mantine/core';
import { IconArrowsSort, IconSortAscending, IconSortDescending } from '@tabler/icons-react';
import { Fragment, type MouseEvent, type ReactNode } from 'react';

export interface Column<T> {
  /** Also the sort field sent to the API. */
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  sortable?: boolean;
}

interface DataTableProps<T> {
  label: string;
  columns: Column<T>[];
  rows: T[] | undefined;
  rowKey: (row: T) => string;
  loading: boolean;
  emptyText: string;
  sort?: string;
  onSortChange?: (sort: string) => void;
  /** A full-width row shown under a row when it returns something. */
  renderDetail?: (row: T) => ReactNode;
  /**
   * Opens a row on a click anywhere in it but on its links and buttons. A mouse shortcut only: the
   * row must also hold a link or button that does the same, for the keyboard and screen readers.
   */
  onRowClick?: (row: T) => void;
  minWidth?: number;
}

const SKELETON_ROWS = 5;

function SortHeader({ column, sort, onSortChange }: { column: Column<unknown>; sort: string; onSortChange: (sort: string) => void }) {
  const direction = sort === column.key ? 'ascending' : sort === `-${column.key}` ? 'descending' : 'none';
  const Icon = direction === 'ascending' ? IconSortAscending : direction === 'descending' ? IconSortDescending : IconArrowsSort;
  return (
    <Table.Th aria-sort={direction}>
      <UnstyledButton onClick={() => onSortChange(direction === 'ascending' ? `-${column.key}` : column.key)}>
        <Group gap={4} wrap="nowrap">
          <Text fw={600} size="sm">
            {column.header}
          </Text>
          <Icon size={14} aria-hidden opacity={direction === 'none' ? 0.4 : 1} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

export function DataTable<T>(props: DataTableProps<T>) {
  const { columns, rows, rowKey, loading, sort = '', onSortChange, renderDetail, onRowClick } = props;
  const clickRow = (row: T) =>
    onRowClick &&
    ((event: MouseEvent<HTMLTableRowElement>) => {
      if (event.target instanceof Element && event.target.closest('a, button, input, select, textarea')) return;
      onRowClick(row);
    });
  const headers = columns.map((column) =>
    column.sortable && onSortChange ? (
      <SortHeader key={column.key} column={column as Column<unknown>} sort={sort} onSortChange={onSortChange} />
    ) : (
      <Table.Th key={column.key}>{column.header}</Table.Th>
    ),
  );

  let body: ReactNode;
  if (loading && !rows) {
    body = Array.from({ length: SKELETON_ROWS }, (_, index) => (
      <Table.Tr key={index} aria-hidden>
        {columns.map((column) => (
          <Table.Td key={column.key}>
            <Skeleton height={18} radius="sm" />
          </Table.Td>
        ))}
      </Table.Tr>
    ));
  } else if (!rows?.length) {
    body = (
      <Table.Tr>
        <Table.Td colSpan={columns.length}>
          <Text c="dimmed" ta="center" py="lg">
            {props.emptyText}
          </Text>
        </Table.Td>
      </Table.Tr>
    );
  } else {
    body = rows.map((row) => {
      const detail = renderDetail?.(row);
      return (
        <Fragment key={rowKey(row)}>
          <Table.Tr onClick={clickRow(row)} style={onRowClick ? { cursor: 'pointer' } : undefined}>
            {columns.map((column) => (
              <Table.Td key={column.key}>{column.render(row)}</Table.Td>
            ))}
          </Table.Tr>
          {detail ? (
            <Table.Tr>
              <Table.Td colSpan={columns.length}>{detail}</Table.Td>
            </Table.Tr>
          ) : null}
        </Fragment>
      );
    });
  }

  return (
    <Table.ScrollContainer minWidth={props.minWidth ?? 720}>
      <Table
        aria-label={props.label}
        aria-busy={loading}
        striped
        highlightOnHover
        verticalSpacing="sm"
        style={{ whiteSpace: 'nowrap' }}
      >
        <Table.Thead>
          <Table.Tr>{headers}</Table.Tr>
        </Table.Thead>
        <Table.Tbody>{body}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

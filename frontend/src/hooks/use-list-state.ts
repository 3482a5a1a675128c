import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';

export const PAGE_SIZES = [10, 25, 50, 100] as const;

/**
 * Search, sort and paging of one list. The page goes back to 1 whenever what is listed changes
 * (filters, search, sort, page size), so a narrower list never opens on an empty page.
 */
export function useListState(filterKey: string, initialSort = '') {
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);
  const [sort, setSort] = useState(initialSort);
  const [pageSize, setPageSize] = useState<number>(25);
  const listKey = JSON.stringify([filterKey, debouncedSearch, sort, pageSize]);
  const [paging, setPaging] = useState({ listKey, page: 1 });
  const page = paging.listKey === listKey ? paging.page : 1;

  return {
    search,
    setSearch,
    sort,
    setSort,
    page,
    setPage: (next: number) => setPaging({ listKey, page: next }),
    pageSize,
    setPageSize,
    params: { q: debouncedSearch || undefined, sort: sort || undefined, page, page_size: pageSize },
  };
}

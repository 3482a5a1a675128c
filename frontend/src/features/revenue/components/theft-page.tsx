import { Anchor, Badge, Button, Group, NativeSelect, Stack, Text } from '@mantine/core';
import { IconAdjustments, IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { DataTable, type Column } from '@/components/ui/data-table';
import { PageHeader } from '@/components/ui/page-header';
import { PaginationBar } from '@/components/ui/pagination-bar';
import { SearchInput } from '@/components/ui/search-input';
import { useListState } from '@/hooks/use-list-state';
import { useAreaFilter } from '@/lib/area-filter';
import { usePermissions } from '@/lib/authorization';
import { RISKS, useTheftScores, type TheftScore, type TheftScoreParams } from '@/features/revenue/api/theft';
import { RiskBadge } from '@/features/revenue/components/badges';
import { DetectionRunStatus, useDetectionRun } from '@/features/revenue/components/detection-run';
import { ScoreBar } from '@/features/revenue/components/score-bar';
import { TheftEvidence } from '@/features/revenue/components/theft-evidence';
import { TheftSettingsDialog } from '@/features/revenue/components/theft-settings-dialog';
import { caseLink, humanize, meterLink } from '@/features/revenue/utils/labels';

/** The reasons shown in the list; the evidence has them all. */
const LISTED_REASONS = 2;

const COLUMNS: Column<TheftScore>[] = [
  {
    key: 'meter_number',
    header: 'Meter',
    render: (s) => (
      <Anchor component={Link} to={meterLink(s.meter_number)} ff="monospace" size="sm">
        {s.meter_number}
      </Anchor>
    ),
  },
  { key: 'customer_name', header: 'Customer', render: (s) => s.customer_name ?? '—' },
  { key: 'area_name', header: 'Area', render: (s) => s.area_name ?? '—' },
  { key: 'score', header: 'Score', render: (s) => <ScoreBar score={s.score} risk={s.risk} /> },
  { key: 'risk', header: 'Risk', render: (s) => <RiskBadge risk={s.risk} /> },
  {
    key: 'reasons',
    header: 'Why',
    render: (s) => (
      <Text size="sm" style={{ whiteSpace: 'normal' }} maw={380}>
        {s.reasons.slice(0, LISTED_REASONS).join('; ') || '—'}
        {s.reasons.length > LISTED_REASONS ? ` (+${s.reasons.length - LISTED_REASONS} more)` : ''}
      </Text>
    ),
  },
  {
    key: 'rule_hits',
    header: 'Rule hits',
    render: (s) =>
      s.rule_hits.length === 0 ? (
        '—'
      ) : (
        <Group gap={4}>
          {s.rule_hits.map((hit) => (
            <Badge key={hit.rule} size="sm" variant="outline" color="red" title={hit.message} miw="max-content">
              {humanize(hit.rule)}
            </Badge>
          ))}
        </Group>
      ),
  },
  {
    key: 'cases',
    header: 'Cases',
    render: (s) => (
      <Group gap={4} wrap="nowrap">
        {s.open_case ? (
          <Anchor component={Link} to={caseLink(s.open_case)} size="sm">
            Open case {s.open_case}
          </Anchor>
        ) : null}
        {s.confirmed_thefts > 0 ? (
          <Badge size="sm" color="red" variant="light">
            Theft confirmed before
          </Badge>
        ) : null}
        {!s.open_case && s.confirmed_thefts === 0 ? '—' : null}
      </Group>
    ),
  },
];

/**
 * Meters ranked by theft risk for the latest day scored, with the reasons in words; a row opens the
 * meter's evidence. Detection runs daily; an operator may run it now for the area in the header.
 */
export function TheftPage() {
  const { can } = usePermissions();
  const [area] = useAreaFilter();
  const [risk, setRisk] = useState('');
  const filters: TheftScoreParams = { area: area || undefined, risk: risk || undefined };
  const list = useListState(JSON.stringify(filters));
  const scores = useTheftScores({ ...filters, q: list.params.q, page: list.page, page_size: list.pageSize });
  const detection = useDetectionRun();
  const [evidence, setEvidence] = useState<{ meter: string | null; opened: boolean }>({ meter: null, opened: false });
  const [settingsOpened, setSettingsOpened] = useState(false);
  const openEvidence = (score: TheftScore) => setEvidence({ meter: score.meter_number, opened: true });

  const asOf = scores.data ? scores.data.as_of : undefined;
  const filtered = Boolean(risk || list.params.q);
  const emptyText =
    asOf === null
      ? 'No detection run yet: run detection to score the meters.'
      : filtered
        ? 'No meters match these filters.'
        : 'No meters were scored for this day.';
  const columns: Column<TheftScore>[] = [
    ...COLUMNS,
    {
      key: 'evidence',
      header: 'Evidence',
      render: (s) => (
        <Button size="compact-sm" variant="light" aria-label={`Evidence for ${s.meter_number}`} onClick={() => openEvidence(s)}>
          Evidence
        </Button>
      ),
    },
  ];

  return (
    <Stack>
      <PageHeader title="Theft detection">
        {can('settings:manage') ? (
          <Button variant="default" leftSection={<IconAdjustments size={16} />} onClick={() => setSettingsOpened(true)}>
            Detection settings
          </Button>
        ) : null}
        {can('theft:run') ? (
          <Button
            leftSection={<IconPlayerPlay size={16} />}
            loading={detection.running}
            onClick={() => detection.start(area)}
          >
            Run detection now
          </Button>
        ) : null}
      </PageHeader>
      <DetectionRunStatus run={detection.run} startError={detection.startError} />
      <Group gap="sm" justify="space-between">
        <Group gap="sm">
          <NativeSelect
            aria-label="Risk filter"
            value={risk}
            onChange={(event) => setRisk(event.currentTarget.value)}
            data={[{ value: '', label: 'All risks' }, ...RISKS.map((value) => ({ value, label: humanize(value) }))]}
          />
          <SearchInput value={list.search} onChange={list.setSearch} placeholder="Search meter number" />
        </Group>
        {asOf ? (
          <Text size="sm" c="dimmed">
            Scores as of {asOf}
          </Text>
        ) : null}
      </Group>
      <DataTable
        label="Theft scores"
        columns={columns}
        rows={scores.data?.items}
        rowKey={(score) => score.meter_number}
        loading={scores.isFetching}
        emptyText={emptyText}
        onRowClick={openEvidence}
        minWidth={1280}
      />
      <PaginationBar
        page={list.page}
        pageSize={list.pageSize}
        total={scores.data?.total}
        onPageChange={list.setPage}
        onPageSizeChange={list.setPageSize}
      />
      <TheftEvidence
        meterNumber={evidence.meter}
        opened={evidence.opened}
        asOf={asOf ?? null}
        onClose={() => setEvidence((current) => ({ ...current, opened: false }))}
      />
      {can('settings:manage') ? <TheftSettingsDialog opened={settingsOpened} onClose={() => setSettingsOpened(false)} /> : null}
    </Stack>
  );
}

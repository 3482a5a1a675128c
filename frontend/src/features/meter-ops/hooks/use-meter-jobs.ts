import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { errorMessage } from '@/lib/notify';
import type { CosemObject } from '@/features/meter-ops/api/get-meter-ops';
import { useCreateJob, useJobMap, type Job, type JobKind } from '@/features/meter-ops/api/jobs';
import { resultKey } from '@/features/meter-ops/utils/values';

/** Where one item of a job stands for one meter. */
export type Outcome =
  | { state: 'pending' }
  | { state: 'ok'; value: unknown; at: string | null }
  | { state: 'failed'; reason: string; detail: string | null; at: string | null };

export const OP_OF_KIND = { read: 'get', write: 'set', action: 'action' } as const satisfies Record<JobKind, string>;

interface Run {
  localId: number;
  keys: string[];
  jobId: string | null;
  error: unknown;
}

/** The outcome of each item key, the latest job asking for an item winning. */
function outcomesOf(meterNumber: string, runs: Run[], jobs: Map<string, Job>) {
  const outcomes = new Map<string, Outcome>();
  for (const run of runs) {
    const job = run.jobId ? jobs.get(run.jobId) : undefined;
    const result = job?.results.find((entry) => entry.meter_number === meterNumber);
    const timedOut = job?.status === 'timed_out' || result?.status === 'timed_out';
    for (const key of run.keys) {
      const item = result?.items.find((entry) => resultKey(entry.op, entry.obis, entry.index) === key);
      if (run.error) {
        outcomes.set(key, { state: 'failed', reason: errorMessage(run.error), detail: null, at: null });
      } else if (item) {
        outcomes.set(
          key,
          item.ok
            ? { state: 'ok', value: item.value, at: item.at }
            : { state: 'failed', reason: item.reason ?? 'failed', detail: item.detail, at: item.at },
        );
      } else if (timedOut) {
        outcomes.set(key, { state: 'failed', reason: 'timed out', detail: 'the meter did not answer in time', at: null });
      } else if (job && job.status !== 'running') {
        outcomes.set(key, { state: 'failed', reason: 'no result', detail: null, at: null });
      } else {
        outcomes.set(key, { state: 'pending' });
      }
    }
  }
  return outcomes;
}

export interface JobEntry {
  object: Pick<CosemObject, 'obis' | 'class_id' | 'index'>;
  value?: unknown;
}

/**
 * Jobs on one meter started from a page: each `start` posts a job and polls it; `outcomes`
 * answers, per item (`resultKey`), the value or the reason it failed, or that it is still running.
 */
export function useMeterJobs(meterNumber: string) {
  const [runs, setRuns] = useState<Run[]>([]);
  const nextId = useRef(0);
  const createJob = useCreateJob();
  const jobs = useJobMap(runs.flatMap((run) => (run.jobId ? [run.jobId] : [])));
  const outcomes = outcomesOf(meterNumber, runs, jobs);

  const update = (localId: number, change: Partial<Run>) =>
    setRuns((current) => current.map((run) => (run.localId === localId ? { ...run, ...change } : run)));

  const start = (kind: JobKind, entries: JobEntry[]) => {
    const localId = nextId.current++;
    const keys = entries.map(({ object }) => resultKey(OP_OF_KIND[kind], object.obis, object.index));
    setRuns((current) => [...current, { localId, keys, jobId: null, error: null }]);
    createJob
      .mutateAsync({
        kind,
        meters: [meterNumber],
        items: entries.map(({ object, value }) => ({
          obis: object.obis,
          class_id: object.class_id,
          index: object.index,
          ...(value === undefined ? {} : { value }),
        })),
      })
      .then(({ id }) => update(localId, { jobId: id }))
      .catch((error: unknown) => update(localId, { error }));
  };

  return { start, outcomes };
}

/** Calls `onEnd` once when `job` is no longer running (done or timed out). */
export function useOnJobEnd(job: Job | undefined, onEnd: (job: Job) => void) {
  const ended = job && job.status !== 'running' ? job : undefined;
  const handled = useRef<string | null>(null);
  const fire = useEffectEvent(onEnd);
  useEffect(() => {
    if (ended && handled.current !== ended.id) {
      handled.current = ended.id;
      fire(ended);
    }
  }, [ended]);
}

/** Everything the operations pages read; acknowledging or importing invalidates it all. */
export const operationsQueryKey = ['operations'] as const;

/** How often the live views (dashboard, alerts inbox) ask again: a change shows within two polls. */
export const LIVE_REFRESH_MS = 5_000;

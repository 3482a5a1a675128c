/** Everything the operations pages read; acknowledging or importing invalidates it all. */
export const operationsQueryKey = ['operations'] as const;

/**
 * How often the live views (dashboard, alerts inbox) ask again. With the event-log poll every 5 s, a
 * tamper event is on screen within ~9 s (poll + decode + one refresh).
 */
export const LIVE_REFRESH_MS = 3_000;

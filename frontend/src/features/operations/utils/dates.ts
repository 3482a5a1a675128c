/** Local calendar days as the API takes them (YYYY-MM-DD). */
export function isoDay(date: Date) {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export const daysAgo = (days: number, today = new Date()) =>
  isoDay(new Date(today.getFullYear(), today.getMonth(), today.getDate() - days));

/** The previous calendar month, first to last day. */
export function lastMonth(today = new Date()) {
  return {
    from: isoDay(new Date(today.getFullYear(), today.getMonth() - 1, 1)),
    to: isoDay(new Date(today.getFullYear(), today.getMonth(), 0)),
  };
}

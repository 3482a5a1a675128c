/** Everything the revenue protection pages read: a case change also changes the theft list (its open cases). */
export const revenueQueryKey = ['revenue'] as const;
export const theftQueryKey = [...revenueQueryKey, 'theft'] as const;
export const casesQueryKey = [...revenueQueryKey, 'cases'] as const;

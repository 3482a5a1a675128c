/** The meter types offered in forms (free text is accepted too). */
export const METER_TYPES = ['Single Phase', 'Three Phase', 'Three Phase CT'];

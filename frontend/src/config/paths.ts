export const paths = {
  home: '/',
  login: '/login',
  changePassword: '/change-password',
  areas: '/areas',
  deviceProfiles: '/device-profiles',
  /** With `generatePath(paths.deviceProfile, { id })`. */
  deviceProfile: '/device-profiles/:id',
  meters: '/meters',
  myMeters: '/my-meters',
  sims: '/sims',
  customers: '/customers',
  users: '/users',
  audit: '/audit',
  settings: '/settings',
} as const;

export const paths = {
  home: '/',
  login: '/login',
  changePassword: '/change-password',
  areas: '/areas',
  meters: '/meters',
  myMeters: '/my-meters',
  sims: '/sims',
  customers: '/customers',
  users: '/users',
  audit: '/audit',
} as const;

import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';
import { exportCsv, useImportCsv } from '@/lib/csv';
import { useInvalidatingMutation } from '@/lib/react-query';
import { customersQueryKey, type Customer, type CustomerFilters } from '@/features/customers/api/get-customers';

export type CustomerCreate = components['schemas']['CustomerCreate'];
/** A PATCH sends only what changes (the generated type marks defaulted fields as required). */
export type CustomerUpdate = Partial<components['schemas']['CustomerUpdate']>;

const customerPath = (id: string) => `/customers/${encodeURIComponent(id)}`;

export const createCustomer = (body: CustomerCreate) => api.post<Customer>('/customers', { json: body });

export const updateCustomer = ({ id, body }: { id: string; body: CustomerUpdate }) =>
  api.patch<Customer>(customerPath(id), { json: body });

export const deleteCustomer = (id: string) => api.delete(customerPath(id));

export const useCreateCustomer = () => useInvalidatingMutation(createCustomer, customersQueryKey);
export const useUpdateCustomer = () => useInvalidatingMutation(updateCustomer, customersQueryKey);
export const useDeleteCustomer = () => useInvalidatingMutation(deleteCustomer, customersQueryKey);

export const useImportCustomers = () => useImportCsv('customers', customersQueryKey);
export const exportCustomers = (filters: CustomerFilters) => exportCsv('customers', filters);

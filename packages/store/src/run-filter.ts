import type { RunFilter } from './run-types.js';
import { RUN_STATUSES } from './run-types.js';
import { StoreError } from './store-error.js';

/**
 * The WHERE clause and parameters selecting the runs a filter describes.
 * @param filter - the filter
 * @returns SQL text (starting with `WHERE`, or empty) and its positional parameters
 * @throws {@link StoreError} on an unknown status or an empty β range
 */
export function filterSql(filter: RunFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.status !== undefined) {
    if (!RUN_STATUSES.includes(filter.status)) {
      throw new StoreError('E_BAD_FILTER', `status "${filter.status}" is not one of ${RUN_STATUSES.join(', ')}: pick one of those`);
    }
    clauses.push('status = ?');
    params.push(filter.status);
  }
  if (filter.dataset !== undefined) {
    clauses.push('dataset = ?');
    params.push(filter.dataset);
  }
  if (filter.command !== undefined) {
    clauses.push('command = ?');
    params.push(filter.command);
  }
  if (filter.parentId !== undefined) {
    clauses.push('parent_id = ?');
    params.push(filter.parentId);
  }
  if (filter.betaMin !== undefined && filter.betaMax !== undefined && filter.betaMin > filter.betaMax) {
    throw new StoreError('E_BAD_FILTER', `β range [${filter.betaMin}, ${filter.betaMax}] is empty: the minimum must not exceed the maximum`);
  }
  if (filter.betaMin !== undefined) {
    clauses.push('beta >= ?');
    params.push(filter.betaMin);
  }
  if (filter.betaMax !== undefined) {
    clauses.push('beta <= ?');
    params.push(filter.betaMax);
  }
  for (const [name, value] of Object.entries(filter.tags ?? {})) {
    clauses.push('EXISTS (SELECT 1 FROM tags t WHERE t.run_id = runs.id AND t.name = ? AND t.value = ?)');
    params.push(name, value);
  }
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

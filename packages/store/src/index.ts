export { RunStore, type OpenStoreOptions } from './run-store.js';
export { MIGRATIONS, SCHEMA_VERSION, migrate, type Migration } from './migrations.js';
export { defaultStorePath } from './default-path.js';
export { exportRuns, csvField, type ExportFormat } from './export-runs.js';
export { pidAlive } from './pid-alive.js';
export { startHeartbeat, HEARTBEAT_MS, STALE_AFTER_MS } from './heartbeat.js';
export { StoreError } from './store-error.js';
export { filterSql } from './run-filter.js';
export { RUN_STATUSES, type EpochRecord, type NewRun, type RunEnd, type RunFilter, type RunRecord, type RunStatus } from './run-types.js';

/**
 * What consumers do with a record that carries no producer in its envelope (no `sw-envelope` nor `sw-producer` header) (written by a non-streamwise
 * producer): take it (the default, as before the header existed), take it and log a rate-limited
 * warning, or dead-letter it with reason `unsigned-record` (views skip it instead).
 */
export type UnsignedRecordsPolicy = 'accept' | 'warn' | 'dead-letter';

export const UNSIGNED_RECORDS_POLICIES: readonly UnsignedRecordsPolicy[] = [
  'accept',
  'warn',
  'dead-letter',
];

/** The default when neither the topic nor the app says: today's behaviour, take the record. */
export const DEFAULT_UNSIGNED_RECORDS: UnsignedRecordsPolicy = 'accept';

// The storage service's public surface: the only file other folders import.
export { createStorageService, type Storage, type StorageOptions, type StorageService } from './storage-service.js';
export { dataLayout, type DataLayout } from './data-layout.js';
export type { JournalReadQuery } from './journal.js';

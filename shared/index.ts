export * from './errors';
export * from './api/index';
export * from './domain/leads';
export * from './domain/connection';
export * from './bridge';
export * from './domain/settings';
export * from './api/pages';
export * from './domain/conversions';

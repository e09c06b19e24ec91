export * from './spec';
export * from './primitives';
export * from './compiler';
export * from './headers';
export * from './errors';
export * from './codec';
export * from './specs';
export * from './records';

/** The water analytics (W-19, W-21, W-23, W-25, W-27, W-28, W-31, W-35): pure functions, no I/O. */
export * from './types';
export * from './balance';
export * from './seasonal';
export * from './mnf';
export * from './thresholds';
export * from './alerts';
export * from './recommendations';
export * from './forecast';

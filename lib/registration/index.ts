/** Registration of participants and first-head role grants (issue 4 parts 6–7). Server only. */
export * from './common';
export * from './forms';
export * from './requests';
export * from './expert-orgs';
export * from './roles';
export * from './views';

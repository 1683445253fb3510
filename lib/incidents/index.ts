/** Incidents, SLA timers, deadline extensions and maintenance (I-1..I-19). */
export * from './sla';
export * from './service';
export * from './maintenance';
export { renderSla, incidentsTranslator } from './explain';

/** Water monitoring and alerts (W-21, W-23, W-27, W-31, W-35). */
export { runMonitoring, type MonitoringOptions, type MonitoringRated, type MonitoringResult } from './run';
export { acknowledgeAlert, clearAlert, alertMessage, notifyAlert, activeAlert, type AlertRow } from './store';

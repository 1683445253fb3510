import { handleTelemetryPost } from '@/lib/water/telemetry-http';

/** Telemetry ingestion (issue 6, W-18): see lib/water/telemetry-http.ts. */
export const POST = handleTelemetryPost;

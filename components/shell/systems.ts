/** The four systems of the portal, each with its landing page at /<key>. */
export const SYSTEMS = ['construction', 'expertise', 'procurement', 'water'] as const;
export type SystemKey = (typeof SYSTEMS)[number];

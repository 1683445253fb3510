/** The typed document slots of the wizard; the cost-estimate part is marked (E-56 keeps it from the cadastre). */
export const DOCUMENT_SLOTS = [
  { slot: 'feasibility_study', costEstimate: false },
  { slot: 'design_explanatory_note', costEstimate: false },
  { slot: 'design_architecture', costEstimate: false },
  { slot: 'design_structures', costEstimate: false },
  { slot: 'cost_estimate', costEstimate: true },
] as const;
export type DocumentSlot = (typeof DOCUMENT_SLOTS)[number]['slot'];

/** db/schema/expertise WORK_KINDS, repeated here so client bundles do not load the schema. */
export const WORK_KIND_OPTIONS = ['new_construction', 'reconstruction', 'expansion', 'modernisation', 'capital_repair'] as const;

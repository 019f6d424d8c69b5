// The case engine's closed lists, without zod or any other dependency: the web app imports
// them at run time (selects, filters) without pulling the domain's schemas into its bundle.
// case-model.ts and classification.ts re-export them and build their zod schemas on them.

/** One case engine, three kinds of case. */
export const CaseTypes = ['complaint', 'ebanking_support', 'internal_request'] as const;

export const CaseChannels = [
  'counter',
  'hotline',
  'web_app',
  'email',
  'letter',
  'regulator_referral',
  'social_media',
  'internal',
] as const;

export const Severities = ['low', 'medium', 'high', 'critical'] as const;

/**
 * The customer's service level as recorded on the case (DOMAIN §2): diamond…basic for people,
 * 1A–5A / 1B–5B for companies (the same values as the customers context), plus 'unrated' for
 * walk-ins and unknown customers. Kept here so the case engine does not import customers.
 */
export const CaseServiceLevels = [
  'diamond',
  'gold',
  'silver',
  'basic',
  '1A',
  '2A',
  '3A',
  '4A',
  '5A',
  '1B',
  '2B',
  '3B',
  '4B',
  '5B',
  'unrated',
] as const;

export const Remedies = ['repair', 'replace', 'redo'] as const;

export const NonPropertyClaimKinds = [
  'apology',
  'explanation',
  'correction_of_records',
  'reputation',
  'other',
] as const;

export const CaseStates = [
  'received',
  'acknowledged',
  'investigating',
  'resolution_proposed',
  'accepted',
  'rejected',
  'closed',
  'review_requested',
  'merged',
  'withdrawn',
] as const;

/** States in which a case is still being worked: all but closed, merged and withdrawn. */
export const OpenCaseStates: readonly (typeof CaseStates)[number][] = CaseStates.filter(
  (s) => s !== 'closed' && s !== 'merged' && s !== 'withdrawn',
);

export const RootCauseCategories = [
  'people',
  'process',
  'system_equipment',
  'product',
  'rules',
  'third_party',
  'customer_misunderstanding',
] as const;

/** The three axes of JR/T 0169-2018 (labels and groups in classification.ts). */
export const JrtChannelKeys = [
  'branch_counter',
  'self_service',
  'online_banking',
  'telephone_banking',
  'mobile_app',
  'public_platform',
  'sms',
  'electronic_other',
  'third_party',
  'middle_back_office',
  'other',
] as const;

export const JrtBusinessTypeKeys = [
  'rmb_savings',
  'debit_card',
  'credit_card',
  'loans',
  'payment_settlement',
  'debt_collection',
  'foreign_exchange',
  'agency_business',
  'own_wealth_management',
  'other_intermediary',
  'personal_financial_information',
  'precious_metals',
  'rmb_cash_management',
  'treasury',
  'other',
] as const;

export const JrtCauseKeys = [
  'service_attitude_quality',
  'facilities_equipment_systems',
  'rules_processes',
  'marketing_practices',
  'information_disclosure',
  'product_returns',
  'freedom_of_choice',
  'pricing_fees',
  'contract_terms',
  'funds_security',
  'information_security',
  'debt_collection_practices',
  'other',
] as const;

// The customers context's closed lists (no zod): the web app imports them at run time.
// customer.ts and value.ts re-export them and build their schemas on them.

/** The customer pyramid by value (not by visit count). */
export const CustomerTiers = ['vip', 'major', 'ordinary', 'small'] as const;

/** Service levels that set standards: people and households, companies. */
export const PersonServiceLevels = ['diamond', 'gold', 'silver', 'basic'] as const;
export const CompanyServiceLevels = ['1A', '2A', '3A', '4A', '5A', '1B', '2B', '3B', '4B', '5B'] as const;
export const ServiceLevels = [...PersonServiceLevels, ...CompanyServiceLevels] as const;

export const IdTypes = [
  'resident_id',
  'passport',
  'hk_macau_permit',
  'taiwan_permit',
  'business_license',
  'uscc',
] as const;
/** Documents of people and of companies. */
export const PersonIdTypes = ['resident_id', 'passport', 'hk_macau_permit', 'taiwan_permit'] as const;
export const CompanyIdTypes = ['business_license', 'uscc'] as const;

export const CustomerKinds = ['person', 'company'] as const;

/** AUM bands as Chinese retail banks draw them: mass, affluent (理财), wealth (财富), private banking (私行, ¥6m). */
export const AumBands = ['under_50k', '50k_500k', '500k_2m', '2m_6m', 'over_6m'] as const;

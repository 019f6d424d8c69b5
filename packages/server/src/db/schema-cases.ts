// Tables of the cases context (cases, SLA clocks, calendars, approvals). Included in ./schema.ts.
export {};

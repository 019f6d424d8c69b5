// Tables of the queue context (services, counters, tickets, visits). Included in ./schema.ts.
export {};

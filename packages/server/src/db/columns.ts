import { timestamp } from 'drizzle-orm/pg-core';

/** Every instant is a timestamptz read as a JS Date: one definition for all contexts' tables. */
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: [
    './src/db/schema.ts',
    './src/db/schema-queue.ts',
    './src/db/schema-cases.ts',
    './src/db/schema-notifications.ts',
  ],
  out: './src/db/migrations',
});

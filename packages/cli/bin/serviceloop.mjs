#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx's loader: no build step between edit and run.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/index.ts');
await main(process.argv);

// Entry of the wait-prediction learning worker (prediction-learner.ts). A worker thread has no
// TypeScript loader of its own however the server was started (tsx registered in the main thread
// by `npm start`, tsx flags in the bench, vite in vitest), so it registers tsx here, then loads
// the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./prediction-worker.ts');

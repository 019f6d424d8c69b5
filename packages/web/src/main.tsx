import { createRoot } from 'react-dom/client';
import { initI18n } from './i18n/index.ts';
import { Root } from './shell/Root.tsx';

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from index.html');

initI18n()
  .then(() => createRoot(container).render(<Root />))
  .catch((error: unknown) => {
    container.textContent = `ServiceLoop failed to start: ${String(error)}`;
  });

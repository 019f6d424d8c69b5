import { Spin } from 'antd';
import { type ComponentType, type LazyExoticComponent, lazy, type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A page loaded on first visit: the kiosk and display boards then fetch only their own code,
 * and a teller's browser never downloads the complaint or settings screens it cannot open.
 */
export function lazyPage<K extends string>(
  load: () => Promise<Record<K, ComponentType>>,
  name: K,
): LazyExoticComponent<ComponentType> {
  return lazy<ComponentType>(async () => ({ default: (await load())[name] }));
}

function PageLoading() {
  const { t } = useTranslation();
  return (
    <div style={{ display: 'grid', placeItems: 'center', minHeight: 240 }} data-testid="page-loading">
      <Spin size="large" description={t('common.loading')} />
    </div>
  );
}

/** Where lazy pages wait for their code: inside the shell, so the menu and header stay put. */
export function PageSuspense({ children }: { readonly children: ReactNode }) {
  return <Suspense fallback={<PageLoading />}>{children}</Suspense>;
}

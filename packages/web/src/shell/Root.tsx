import { App as AntApp, ConfigProvider, Spin, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { CasesRoutes } from '../cases/routes.tsx';
import { SignInPage } from '../identity/SignInPage.tsx';
import { SessionProvider, useSession } from '../identity/session.tsx';
import { OrgScopeProvider } from '../org/scope.tsx';
import { queuePublicRoutes, queueShellRoutes } from '../queue/routes.tsx';
import { HomePage } from './HomePage.tsx';
import { lazyPage, PageSuspense } from './lazy.tsx';
import { NotFound, RequirePermission, ShellLayout } from './ShellLayout.tsx';

const AuditPage = lazyPage(() => import('../audit/AuditPage.tsx'), 'AuditPage');
const RatePage = lazyPage(() => import('../cases/RatePage.tsx'), 'RatePage');
const CustomerImportPage = lazyPage(
  () => import('../customers/CustomerImportPage.tsx'),
  'CustomerImportPage',
);
const CustomersPage = lazyPage(() => import('../customers/CustomersPage.tsx'), 'CustomersPage');
const StaffPage = lazyPage(() => import('../identity/StaffPage.tsx'), 'StaffPage');
const NotificationsPage = lazyPage(
  () => import('../notifications/NotificationsPage.tsx'),
  'NotificationsPage',
);
const OrgUnitsPage = lazyPage(() => import('../org/OrgUnitsPage.tsx'), 'OrgUnitsPage');

function AuthenticatedApp() {
  const { user, loading } = useSession();
  const { t } = useTranslation();
  if (loading) {
    return (
      <div style={{ display: 'grid', placeItems: 'center', height: '100vh' }}>
        <Spin size="large" description={t('common.loading')} />
      </div>
    );
  }
  if (!user) {
    return (
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="*" element={<Navigate to="/sign-in" replace />} />
      </Routes>
    );
  }
  return (
    <Routes>
      <Route path="/sign-in" element={<Navigate to="/" replace />} />
      <Route element={<ShellLayout />}>
        <Route index element={<HomePage />} />
        <Route
          path="org-units"
          element={
            <RequirePermission permission="org.read">
              <OrgUnitsPage />
            </RequirePermission>
          }
        />
        <Route
          path="staff"
          element={
            <RequirePermission permission="staff.read">
              <StaffPage />
            </RequirePermission>
          }
        />
        <Route
          path="customers"
          element={
            <RequirePermission permission="customer.read">
              <CustomersPage />
            </RequirePermission>
          }
        />
        <Route
          path="customers/import"
          element={
            <RequirePermission permission="customer.import">
              <CustomerImportPage />
            </RequirePermission>
          }
        />
        <Route
          path="audit"
          element={
            <RequirePermission permission="audit.read">
              <AuditPage />
            </RequirePermission>
          }
        />
        {queueShellRoutes()}
        <Route path="cases/*" element={<CasesRoutes />} />
        <Route path="notifications" element={<NotificationsPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function Localised() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  useEffect(() => {
    document.title = t('app.fullName');
  }, [t]);
  return (
    <ConfigProvider
      locale={locale === 'en' ? enUS : zhCN}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: {
          colorPrimary: '#b1272d',
          borderRadius: 4,
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif",
        },
      }}
    >
      <AntApp>
        <SessionProvider>
          <OrgScopeProvider locale={locale}>
            <PageSuspense>
              <Routes>
                {queuePublicRoutes()}
                <Route path="/rate/:token" element={<RatePage />} />
                <Route path="*" element={<AuthenticatedApp />} />
              </Routes>
            </PageSuspense>
          </OrgScopeProvider>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function Root() {
  return (
    <BrowserRouter>
      <Localised />
    </BrowserRouter>
  );
}

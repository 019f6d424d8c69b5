import { Route, Routes } from 'react-router';
import { lazyPage } from '../shell/lazy.tsx';
import { NotFound, RequirePermission } from '../shell/ShellLayout.tsx';

const CalendarPage = lazyPage(() => import('./CalendarPage.tsx'), 'CalendarPage');
const CasePage = lazyPage(() => import('./CasePage.tsx'), 'CasePage');
const InboxPage = lazyPage(() => import('./InboxPage.tsx'), 'InboxPage');
const SupervisorPage = lazyPage(() => import('./InboxPage.tsx'), 'SupervisorPage');
const IntakePage = lazyPage(() => import('./IntakePage.tsx'), 'IntakePage');
const ReportsPage = lazyPage(() => import('./ReportsPage.tsx'), 'ReportsPage');
const SettingsPage = lazyPage(() => import('./SettingsPage.tsx'), 'SettingsPage');

/** The complaint screens, mounted at /cases/* inside the shell. */
export function CasesRoutes() {
  return (
    <Routes>
      <Route
        index
        element={
          <RequirePermission permission="case.read">
            <InboxPage />
          </RequirePermission>
        }
      />
      <Route
        path="new"
        element={
          <RequirePermission permission="case.handle">
            <IntakePage />
          </RequirePermission>
        }
      />
      <Route
        path="supervisor"
        element={
          <RequirePermission permission="case.supervise">
            <SupervisorPage />
          </RequirePermission>
        }
      />
      <Route
        path="reports"
        element={
          <RequirePermission permission="case.supervise">
            <ReportsPage />
          </RequirePermission>
        }
      />
      <Route
        path="settings"
        element={
          <RequirePermission permission="case.supervise">
            <SettingsPage />
          </RequirePermission>
        }
      />
      <Route
        path="calendar"
        element={
          <RequirePermission permission="case.read">
            <CalendarPage />
          </RequirePermission>
        }
      />
      <Route
        path=":id"
        element={
          <RequirePermission permission="case.read">
            <CasePage />
          </RequirePermission>
        }
      />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}

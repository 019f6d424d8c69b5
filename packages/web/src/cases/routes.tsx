import { Route, Routes } from 'react-router';
import { NotFound, RequirePermission } from '../shell/ShellLayout.tsx';
import { CalendarPage } from './CalendarPage.tsx';
import { CasePage } from './CasePage.tsx';
import { InboxPage, SupervisorPage } from './InboxPage.tsx';
import { IntakePage } from './IntakePage.tsx';
import { ReportsPage } from './ReportsPage.tsx';
import { SettingsPage } from './SettingsPage.tsx';

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

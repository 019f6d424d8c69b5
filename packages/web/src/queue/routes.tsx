import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { lazyPage } from '../shell/lazy.tsx';
import { RequirePermission } from '../shell/ShellLayout.tsx';

const DisplayPage = lazyPage(() => import('./DisplayPage.tsx'), 'DisplayPage');
const KioskPage = lazyPage(() => import('./KioskPage.tsx'), 'KioskPage');
const KpiPage = lazyPage(() => import('./KpiPage.tsx'), 'KpiPage');
const LobbyPage = lazyPage(() => import('./LobbyPage.tsx'), 'LobbyPage');
const NoticesPage = lazyPage(() => import('./NoticesPage.tsx'), 'NoticesPage');
const QueueSettingsPage = lazyPage(() => import('./QueueSettingsPage.tsx'), 'QueueSettingsPage');
const StaffingPage = lazyPage(() => import('./StaffingPage.tsx'), 'StaffingPage');
const TellerConsole = lazyPage(() => import('./TellerConsole.tsx'), 'TellerConsole');
const TicketStatusPage = lazyPage(() => import('./TicketStatusPage.tsx'), 'TicketStatusPage');
const VisitRecordsPage = lazyPage(() => import('./VisitRecordsPage.tsx'), 'VisitRecordsPage');

/** Public screens (no sign-in): kiosk, display board, ticket status (/t/ is the server's QR link). */
export function queuePublicRoutes(): ReactElement {
  return (
    <>
      <Route path="/kiosk/:branchId" element={<KioskPage />} />
      <Route path="/display/:branchId" element={<DisplayPage />} />
      <Route path="/ticket/:ticketId" element={<TicketStatusPage />} />
      <Route path="/t/:ticketId" element={<TicketStatusPage />} />
    </>
  );
}

/** Signed-in screens inside the shell. */
export function queueShellRoutes(): ReactElement {
  return (
    <>
      <Route
        path="queue/teller"
        element={
          <RequirePermission permission="queue.serve">
            <TellerConsole />
          </RequirePermission>
        }
      />
      <Route
        path="queue/lobby"
        element={
          <RequirePermission permission="queue.manage">
            <LobbyPage />
          </RequirePermission>
        }
      />
      <Route
        path="queue/kpi"
        element={
          <RequirePermission permission="queue.read">
            <KpiPage />
          </RequirePermission>
        }
      />
      <Route
        path="queue/staffing"
        element={
          <RequirePermission permission="queue.read">
            <StaffingPage />
          </RequirePermission>
        }
      />
      <Route
        path="queue/notices"
        element={
          <RequirePermission permission="queue.manage">
            <NoticesPage />
          </RequirePermission>
        }
      />
      <Route
        path="queue/settings"
        element={
          <RequirePermission permission="queue.read">
            <QueueSettingsPage />
          </RequirePermission>
        }
      />
      <Route
        path="queue/visits"
        element={
          <RequirePermission permission="queue.read">
            <VisitRecordsPage />
          </RequirePermission>
        }
      />
    </>
  );
}

import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { RequirePermission } from '../shell/ShellLayout.tsx';
import { DisplayPage } from './DisplayPage.tsx';
import { KioskPage } from './KioskPage.tsx';
import { KpiPage } from './KpiPage.tsx';
import { LobbyPage } from './LobbyPage.tsx';
import { NoticesPage } from './NoticesPage.tsx';
import { QueueSettingsPage } from './QueueSettingsPage.tsx';
import { StaffingPage } from './StaffingPage.tsx';
import { TellerConsole } from './TellerConsole.tsx';
import { TicketStatusPage } from './TicketStatusPage.tsx';
import { VisitRecordsPage } from './VisitRecordsPage.tsx';

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

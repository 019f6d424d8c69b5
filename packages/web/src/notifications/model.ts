import i18next from 'i18next';
import { api } from '../shell/api.ts';

export interface Notification {
  readonly id: string;
  readonly type: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly occurredAt: string;
  readonly readAt: string | null;
}

export interface NotificationPage {
  readonly items: readonly Notification[];
  readonly unread: number;
}

/** How often the bell asks for the unread count. */
export const BELL_POLL_MS = 30_000;

/** Tells every bell on the page to refresh now (after reading from the inbox page, say). */
export const NOTIFICATIONS_CHANGED = 'serviceloop:notifications-changed';

export function announceChange(): void {
  window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED));
}

export async function markRead(id: string): Promise<void> {
  await api.post(`/notifications/${id}/read`, {});
  announceChange();
}

export async function markAllRead(): Promise<void> {
  await api.post('/notifications/read-all', {});
  announceChange();
}

/** The headline of a notification, in the current language; the event type when unknown. */
export function headline(n: Notification): string {
  const path = `notifications.type.${n.type}`;
  const value: unknown =
    i18next.getResource(i18next.language, 'translation', path) ??
    i18next.getResource('zh-CN', 'translation', path);
  return typeof value === 'string' ? value : n.type;
}

/** Where a notification leads: the case page. */
export function linkOf(n: Notification): string | undefined {
  const caseId =
    typeof n.data.caseId === 'string' ? n.data.caseId : n.aggregateType === 'case' ? n.aggregateId : '';
  return caseId ? `/cases/${caseId}` : undefined;
}

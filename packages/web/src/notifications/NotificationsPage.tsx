import { Alert, Button, Card, Space, Switch } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../shell/api.ts';
import { markAllRead, NOTIFICATIONS_CHANGED, type Notification, type NotificationPage } from './model.ts';
import { UnreadLine } from './NotificationBell.tsx';
import { NotificationList } from './NotificationList.tsx';

const PAGE = 30;

/** Everything in my inbox, newest first, paged back by time. */
export function NotificationsPage() {
  const { t } = useTranslation();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [items, setItems] = useState<Notification[]>([]);
  const [unread, setUnread] = useState(0);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  const load = useCallback(
    async (before?: string) => {
      try {
        const page = await api.get<NotificationPage>('/notifications', {
          limit: PAGE,
          unread: unreadOnly ? 'true' : undefined,
          before,
        });
        setItems((old) => (before ? [...old, ...page.items] : [...page.items]));
        setUnread(page.unread);
        setMore(page.items.length === PAGE);
        setError(undefined);
      } catch (e) {
        setError(describeError(e, t).title);
      }
    },
    [unreadOnly, t],
  );

  useEffect(() => {
    void load();
    const onChange = () => void load();
    window.addEventListener(NOTIFICATIONS_CHANGED, onChange);
    return () => window.removeEventListener(NOTIFICATIONS_CHANGED, onChange);
  }, [load]);

  return (
    <Card
      title={
        <Space>
          {t('notifications.title')}
          <UnreadLine unread={unread} />
        </Space>
      }
      extra={
        <Space>
          <Switch checked={unreadOnly} onChange={setUnreadOnly} data-testid="notifications-unread-only" />
          <span>{t('notifications.unreadOnly')}</span>
          <Button onClick={() => void markAllRead()} disabled={unread === 0}>
            {t('notifications.markAllRead')}
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Alert type="info" showIcon title={t('notifications.channelNote')} style={{ marginBottom: 12 }} />
      <NotificationList items={items} />
      {more && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button onClick={() => void load(items[items.length - 1]?.occurredAt)}>
            {t('notifications.loadMore')}
          </Button>
        </div>
      )}
    </Card>
  );
}

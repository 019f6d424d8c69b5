import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Popover, Space, Spin, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../shell/api.ts';
import { BELL_POLL_MS, markAllRead, NOTIFICATIONS_CHANGED, type NotificationPage } from './model.ts';
import { NotificationList } from './NotificationList.tsx';

/** The bell in the shell header: unread count (polled), and the latest notifications on click. */
export function NotificationBell() {
  const { t } = useTranslation();
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const [page, setPage] = useState<NotificationPage | undefined>(undefined);

  const refresh = useCallback(() => {
    api
      .get<{ unread: number }>('/notifications/unread-count')
      .then((r) => setUnread(r.unread))
      .catch(() => undefined);
  }, []);

  const loadLatest = useCallback(() => {
    api
      .get<NotificationPage>('/notifications', { limit: 8 })
      .then((p) => {
        setPage(p);
        setUnread(p.unread);
      })
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, BELL_POLL_MS);
    const onChange = () => refresh();
    window.addEventListener(NOTIFICATIONS_CHANGED, onChange);
    window.addEventListener('focus', onChange);
    return () => {
      clearInterval(timer);
      window.removeEventListener(NOTIFICATIONS_CHANGED, onChange);
      window.removeEventListener('focus', onChange);
    };
  }, [refresh]);

  useEffect(() => {
    if (open) loadLatest();
  }, [open, loadLatest]);

  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      placement="bottomRight"
      arrow={false}
      title={
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <span>{t('notifications.title')}</span>
          <Button
            size="small"
            type="link"
            disabled={unread === 0}
            data-testid="notifications-read-all"
            onClick={() => void markAllRead().then(loadLatest)}
          >
            {t('notifications.markAllRead')}
          </Button>
        </Space>
      }
      content={
        <div style={{ width: 380 }} data-testid="notification-popover">
          {page ? (
            <div style={{ maxHeight: 420, overflowY: 'auto' }}>
              <NotificationList items={page.items} compact onOpened={() => setOpen(false)} />
            </div>
          ) : (
            <Spin />
          )}
          <div style={{ textAlign: 'center', borderTop: '1px solid #f0f0f0', paddingTop: 8 }}>
            <Link to="/notifications" onClick={() => setOpen(false)}>
              {t('notifications.viewAll')}
            </Link>
          </div>
        </div>
      }
    >
      <Button
        type="text"
        aria-label={
          unread > 0
            ? `${t('notifications.bell')} (${t('notifications.unread', { count: unread })})`
            : t('notifications.bell')
        }
        data-testid="notification-bell"
        data-unread={unread}
        style={{ color: '#fff' }}
      >
        <Badge count={unread} size="small" overflowCount={99} offset={[4, -2]}>
          <BellOutlined style={{ color: '#fff', fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}

export function UnreadLine({ unread }: { readonly unread: number }) {
  const { t } = useTranslation();
  return <Typography.Text type="secondary">{t('notifications.unread', { count: unread })}</Typography.Text>;
}

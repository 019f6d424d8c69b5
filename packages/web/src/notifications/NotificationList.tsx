import { Badge, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { formatMoney, labelOf } from '../cases/model.ts';
import { formatDateTime } from '../shell/format.ts';
import { headline, linkOf, markRead, type Notification } from './model.ts';

/** Case number · subject, then what the event says (clock, amount, score). */
function detail(n: Notification, locale: string): string {
  const d = n.data;
  const parts: string[] = [];
  if (typeof d.clock === 'string') parts.push(labelOf('clockRole', d.clock));
  if (Array.isArray(d.levels) && n.type === 'case.escalated') {
    parts.push(d.levels.map((l) => labelOf('level', String(l))).join('、'));
  }
  const amount = d.amount as { amountMinor?: unknown; currency?: unknown } | undefined;
  if (amount && typeof amount.amountMinor === 'number' && typeof amount.currency === 'string') {
    parts.push(formatMoney(amount.amountMinor, amount.currency, locale));
  }
  if (typeof d.score === 'number') parts.push('★'.repeat(d.score));
  return parts.join(' · ');
}

export function NotificationList({
  items,
  onOpened,
  compact = false,
}: {
  readonly items: readonly Notification[];
  readonly onOpened?: (n: Notification) => void;
  readonly compact?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const open = async (n: Notification) => {
    if (!n.readAt) await markRead(n.id).catch(() => undefined);
    onOpened?.(n);
    const to = linkOf(n);
    if (to) navigate(to);
  };
  return (
    <List<Notification>
      size="small"
      dataSource={[...items]}
      locale={{ emptyText: t('notifications.empty') }}
      renderItem={(n) => {
        const more = detail(n, i18n.language);
        return (
          <List.Item
            key={n.id}
            data-testid="notification"
            data-type={n.type}
            data-read={n.readAt ? 'true' : 'false'}
            onClick={() => void open(n)}
            style={{
              cursor: 'pointer',
              background: n.readAt ? undefined : '#fff7e6',
              paddingInline: 12,
              alignItems: 'flex-start',
            }}
          >
            <List.Item.Meta
              avatar={<Badge status={n.readAt ? 'default' : 'processing'} />}
              title={
                <Typography.Text strong={!n.readAt}>
                  {headline(n)}
                  {typeof n.data.number === 'string' && (
                    <span className="sl-mono" style={{ marginInlineStart: 8, fontWeight: 400 }}>
                      {n.data.number}
                    </span>
                  )}
                </Typography.Text>
              }
              description={
                <>
                  {typeof n.data.subject === 'string' && (
                    <Typography.Text ellipsis style={{ maxWidth: compact ? 300 : 640, display: 'block' }}>
                      {n.data.subject}
                    </Typography.Text>
                  )}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(n.occurredAt, i18n.language)}
                    {more ? ` · ${more}` : ''}
                  </Typography.Text>
                </>
              }
            />
          </List.Item>
        );
      }}
    />
  );
}

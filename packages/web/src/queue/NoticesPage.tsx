import { DesktopOutlined, NotificationOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  Popconfirm,
  Radio,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUser } from '../identity/session.tsx';
import { api, describeError } from '../shell/api.ts';
import { formatDateTime } from '../shell/format.ts';
import { useAsync } from '../shell/hooks.ts';
import type { Notice } from './api.ts';
import { useQueueBranch } from './branch.tsx';

interface NoticeForm {
  readonly textZh: string;
  readonly textEn?: string;
  readonly level: 'warning' | 'info';
  readonly duration: 'd30' | 'd60' | 'd120' | 'd240' | 'untilRemoved';
}

const minutesOf: Record<NoticeForm['duration'], number | undefined> = {
  d30: 30,
  d60: 60,
  d120: 120,
  d240: 240,
  untilRemoved: undefined,
};

/** Lobby manager: notices on the branch's display boards, posted and taken down live. */
export function NoticesPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const user = useUser();
  const { branchId, picker } = useQueueBranch();
  const [form] = Form.useForm<NoticeForm>();
  const [busy, setBusy] = useState(false);
  const list = useAsync(
    (signal) =>
      branchId ? api.get<Notice[]>(`/branches/${branchId}/notices`, undefined, signal) : Promise.resolve([]),
    [branchId],
  );
  const canPost = user.can('queue.manage');
  const fail = (e: unknown) => {
    const d = describeError(e, t);
    void message.error(d.detail ? `${d.title} — ${d.detail}` : d.title);
  };

  const post = async (values: NoticeForm) => {
    if (!branchId) return;
    setBusy(true);
    try {
      const minutes = minutesOf[values.duration];
      await api.post<Notice>(`/branches/${branchId}/notices`, {
        textZh: values.textZh,
        ...(values.textEn?.trim() ? { textEn: values.textEn.trim() } : {}),
        level: values.level,
        ...(minutes === undefined ? {} : { durationMinutes: minutes }),
      });
      void message.success(t('queue.notices.posted'));
      form.resetFields(['textZh', 'textEn']);
      list.reload();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  const expire = async (notice: Notice) => {
    try {
      await api.post<Notice>(`/branches/${branchId}/notices/${notice.id}/expire`, {});
      void message.success(t('queue.notices.expired'));
      list.reload();
    } catch (e) {
      fail(e);
    }
  };

  if (!branchId) return <Card title={t('queue.notices.title')}>{t('queue.noBranch')}</Card>;
  const notices = list.data ?? [];
  const active = notices.filter((n) => n.status === 'active');
  const when = (iso: string | null) =>
    iso ? formatDateTime(iso, i18n.language) : t('queue.notices.untilRemoved');
  const levelTag = (level: Notice['level']) =>
    level === 'warning' ? (
      <Tag color="orange">{t('queue.notices.levels.warning')}</Tag>
    ) : (
      <Tag color="blue">{t('queue.notices.levels.info')}</Tag>
    );

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <NotificationOutlined />
            {t('queue.notices.title')}
          </Space>
        }
        extra={
          <Space wrap>
            <a href={`/display/${branchId}`} target="_blank" rel="noreferrer">
              <Button icon={<DesktopOutlined />}>{t('queue.notices.openDisplay')}</Button>
            </a>
            {picker}
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t('queue.notices.intro')}</Typography.Paragraph>
        <Row gutter={24}>
          <Col xs={24} lg={12}>
            <Form<NoticeForm>
              form={form}
              layout="vertical"
              initialValues={{ level: 'warning', duration: 'untilRemoved' }}
              onFinish={(v) => void post(v)}
              disabled={!canPost}
            >
              <Form.Item
                name="textZh"
                label={t('queue.notices.textZh')}
                rules={[{ required: true, whitespace: true, max: 120 }]}
              >
                <Input
                  placeholder={t('queue.notices.textZhPlaceholder')}
                  maxLength={120}
                  showCount
                  data-testid="notice-text-zh"
                />
              </Form.Item>
              <Form.Item name="textEn" label={t('queue.notices.textEn')} rules={[{ max: 120 }]}>
                <Input maxLength={120} showCount data-testid="notice-text-en" />
              </Form.Item>
              <Space size={24} wrap align="end">
                <Form.Item name="level" label={t('queue.notices.level')}>
                  <Radio.Group
                    optionType="button"
                    options={[
                      { value: 'warning', label: t('queue.notices.levels.warning') },
                      { value: 'info', label: t('queue.notices.levels.info') },
                    ]}
                  />
                </Form.Item>
                <Form.Item name="duration" label={t('queue.notices.duration')}>
                  <Select
                    style={{ width: 160 }}
                    options={[
                      { value: 'd30', label: t('queue.notices.durations.d30') },
                      { value: 'd60', label: t('queue.notices.durations.d60') },
                      { value: 'd120', label: t('queue.notices.durations.d120') },
                      { value: 'd240', label: t('queue.notices.durations.d240') },
                      { value: 'untilRemoved', label: t('queue.notices.durations.untilRemoved') },
                    ]}
                    data-testid="notice-duration"
                  />
                </Form.Item>
                <Form.Item>
                  <Button
                    type="primary"
                    htmlType="submit"
                    loading={busy}
                    icon={<NotificationOutlined />}
                    data-testid="notice-post"
                  >
                    {t('queue.notices.post')}
                  </Button>
                </Form.Item>
              </Space>
            </Form>
          </Col>
          <Col xs={24} lg={12}>
            <Typography.Text strong>{t('queue.notices.active')}</Typography.Text>
            {/* What the foot of the display board shows now, in its colours. */}
            <div
              style={{
                marginTop: 8,
                background: '#1f2937',
                borderRadius: 6,
                padding: '12px 16px',
                minHeight: 56,
                fontSize: 18,
                display: 'flex',
                flexWrap: 'wrap',
                gap: '4px 20px',
              }}
              data-testid="notice-preview"
            >
              {active.length === 0 ? (
                <span style={{ color: '#9ca3af' }}>{t('queue.notices.empty')}</span>
              ) : (
                active.map((n) => (
                  <span
                    key={n.id}
                    style={{
                      color: n.level === 'warning' ? '#fbbf24' : '#e5e7eb',
                      fontWeight: n.level === 'warning' ? 700 : 400,
                    }}
                  >
                    {n.level === 'warning' ? '⚠ ' : ''}
                    {n.textZh}
                    {n.textEn ? ` / ${n.textEn}` : ''}
                  </span>
                ))
              )}
            </div>
          </Col>
        </Row>
      </Card>
      <Card title={t('queue.notices.history')}>
        <Table<Notice>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={notices}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          data-testid="notice-list"
          scroll={{ x: 900 }}
          columns={[
            {
              title: '',
              dataIndex: 'status',
              width: 90,
              render: (s: Notice['status']) =>
                s === 'active' ? (
                  <Tag color="green">{t('queue.notices.status.active')}</Tag>
                ) : (
                  <Tag>{t('queue.notices.status.expired')}</Tag>
                ),
            },
            {
              title: t('queue.notices.textZh'),
              dataIndex: 'textZh',
              render: (_: string, n) => (
                <>
                  <div>{n.textZh}</div>
                  {n.textEn && <Typography.Text type="secondary">{n.textEn}</Typography.Text>}
                </>
              ),
            },
            { title: t('queue.notices.level'), dataIndex: 'level', width: 90, render: levelTag },
            {
              title: t('queue.notices.startsAt'),
              dataIndex: 'startsAt',
              width: 170,
              render: (v: string) => formatDateTime(v, i18n.language),
            },
            { title: t('queue.notices.endsAt'), dataIndex: 'endsAt', width: 170, render: when },
            {
              title: t('queue.notices.postedBy'),
              dataIndex: 'postedByName',
              width: 140,
              render: (v: string | null, n) =>
                n.expiredByName ? `${v ?? ''} · ${t('queue.notices.expiredBy')} ${n.expiredByName}` : v,
            },
            {
              title: '',
              key: 'actions',
              width: 100,
              render: (_: unknown, n) =>
                n.status === 'active' && canPost ? (
                  <Popconfirm title={t('queue.notices.expireConfirm')} onConfirm={() => void expire(n)}>
                    <Button size="small" danger data-testid={`notice-expire-${n.id}`}>
                      {t('queue.notices.expire')}
                    </Button>
                  </Popconfirm>
                ) : null,
            },
          ]}
        />
      </Card>
    </Space>
  );
}

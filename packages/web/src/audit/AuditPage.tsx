import { ReloadOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOrgScope } from '../org/scope.tsx';
import { api } from '../shell/api.ts';
import { formatDateTime } from '../shell/format.ts';
import { useAsync } from '../shell/hooks.ts';
import type { AuditEntry } from '../shell/types.ts';

/** Actions the server records today; the filter suggests them but accepts any text. */
const knownActions = [
  'auth.signed_in',
  'auth.sign_in_failed',
  'auth.locked',
  'customer.created',
  'customer.updated',
  'customer.archived',
  'customer.revealed',
  'customer.imported',
  'identity.staff_created',
  'identity.staff_updated',
  'identity.password_reset',
  'org.unit_created',
  'org.unit_updated',
];

function actionColour(action: string): string {
  if (action.includes('reveal')) return 'orange';
  if (action.startsWith('auth.')) return 'default';
  if (action.includes('archiv') || action.includes('deactiv') || action.includes('locked')) return 'red';
  return 'blue';
}

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const scope = useOrgScope();
  const [draft, setDraft] = useState('');
  const [action, setAction] = useState('');
  const [limit, setLimit] = useState(100);
  const list = useAsync(
    (signal) =>
      api.get<AuditEntry[]>(
        '/audit',
        { orgUnitId: scope.selectedId, action: action || undefined, limit },
        signal,
      ),
    [scope.selectedId, action, limit],
  );

  const columns: ColumnsType<AuditEntry> = [
    { title: '#', dataIndex: 'id', width: 70 },
    {
      title: t('audit.at'),
      dataIndex: 'at',
      width: 180,
      render: (v: string) => formatDateTime(v, i18n.language),
    },
    {
      title: t('audit.actor'),
      dataIndex: 'actorName',
      width: 140,
      render: (v: string | null) => v ?? t('common.none'),
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 200,
      render: (v: string) => <Tag color={actionColour(v)}>{v}</Tag>,
    },
    {
      title: t('audit.unit'),
      dataIndex: 'orgUnitName',
      width: 150,
      render: (_, e) => scope.unitName(e.orgUnitId) || e.orgUnitName || t('common.none'),
    },
    {
      title: t('audit.target'),
      key: 'target',
      width: 200,
      render: (_, e) =>
        e.targetType ? (
          <Typography.Text ellipsis={{ tooltip: e.targetId }} style={{ maxWidth: 190 }}>
            {e.targetType}
            {e.targetId ? ` · ${e.targetId.slice(-8)}` : ''}
          </Typography.Text>
        ) : (
          t('common.none')
        ),
    },
    {
      title: t('audit.details'),
      dataIndex: 'details',
      render: (v: unknown) =>
        v === null || v === undefined ? (
          t('common.none')
        ) : (
          <Typography.Text code ellipsis={{ tooltip: JSON.stringify(v, null, 2) }} style={{ maxWidth: 380 }}>
            {JSON.stringify(v)}
          </Typography.Text>
        ),
    },
  ];

  return (
    <Card
      title={t('audit.title')}
      extra={
        <Space>
          <AutoComplete
            options={knownActions.filter((x) => x.includes(draft.trim())).map((value) => ({ value }))}
            value={draft}
            onChange={setDraft}
            onSelect={(v: string) => setAction(v)}
            style={{ width: 320 }}
          >
            <Input.Search
              aria-label={t('audit.action')}
              allowClear
              placeholder={t('audit.actionFilter')}
              onSearch={(v) => setAction(v.trim())}
              id="audit-action-filter"
            />
          </AutoComplete>
          <Select<number>
            aria-label={t('audit.limit')}
            value={limit}
            onChange={setLimit}
            options={[50, 100, 200, 500].map((n) => ({ value: n, label: `${n}` }))}
            style={{ width: 90 }}
          />
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            {t('common.refresh')}
          </Button>
        </Space>
      }
    >
      <Table<AuditEntry>
        rowKey="id"
        columns={columns}
        dataSource={list.data}
        loading={list.loading}
        size="small"
        pagination={{ pageSize: 25, showTotal: (total) => t('common.total', { total }) }}
        data-testid="audit-table"
      />
    </Card>
  );
}

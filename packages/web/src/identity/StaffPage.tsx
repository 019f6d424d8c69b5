import { KeyOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Badge, Button, Card, Form, Input, Select, Space, Switch, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OrgTreeSelect } from '../org/OrgTreeSelect.tsx';
import { useOrgScope } from '../org/scope.tsx';
import { api } from '../shell/api.ts';
import { FormModal } from '../shell/FormModal.tsx';
import { formatDateTime } from '../shell/format.ts';
import { useAsync } from '../shell/hooks.ts';
import { type Role, RoleList, type Staff } from '../shell/types.ts';
import { useUser } from './session.tsx';

interface CreateForm {
  username: string;
  displayName: string;
  orgUnitId: string;
  roles: Role[];
  password: string;
  locale: 'zh-CN' | 'en';
}
interface EditForm {
  displayName: string;
  orgUnitId: string;
  roles: Role[];
  active: boolean;
  locale: 'zh-CN' | 'en';
}

export function StaffPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const user = useUser();
  const scope = useOrgScope();
  const [filter, setFilter] = useState('');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Staff | undefined>(undefined);
  const [resetting, setResetting] = useState<Staff | undefined>(undefined);
  const mayManage = user.can('staff.manage');
  const list = useAsync(
    (signal) => api.get<Staff[]>('/staff', { orgUnitId: scope.selectedId }, signal),
    [scope.selectedId],
  );
  const roleOptions = RoleList.filter(
    (r) => r !== 'administrator' || user.roles.includes('administrator'),
  ).map((r) => ({ value: r, label: t(`role.${r}`) }));
  const localeOptions = [
    { value: 'zh-CN', label: t('language.zh-CN') },
    { value: 'en', label: t('language.en') },
  ];

  const needle = filter.trim().toLowerCase();
  const rows = (list.data ?? []).filter(
    (s) => !needle || s.username.includes(needle) || s.displayName.toLowerCase().includes(needle),
  );

  const columns: ColumnsType<Staff> = [
    {
      title: t('staff.username'),
      dataIndex: 'username',
      render: (v: string) => <code>{v}</code>,
      sorter: (a, b) => a.username.localeCompare(b.username),
    },
    { title: t('staff.displayName'), dataIndex: 'displayName' },
    { title: t('staff.unit'), key: 'unit', render: (_, s) => scope.unitName(s.orgUnitId) || s.orgUnitName },
    {
      title: t('staff.roles'),
      key: 'roles',
      render: (_, s) =>
        s.roles.map((r) => (
          <Tag key={r} color={r === 'administrator' ? 'red' : 'blue'}>
            {t(`role.${r}`)}
          </Tag>
        )),
      filters: RoleList.map((r) => ({ text: t(`role.${r}`), value: r })),
      onFilter: (value, s) => s.roles.includes(value as Role),
    },
    {
      title: t('common.status'),
      key: 'status',
      width: 150,
      render: (_, s) => (
        <Space size={4}>
          {s.active ? (
            <Badge status="success" text={t('common.active')} />
          ) : (
            <Badge status="default" text={t('common.inactive')} />
          )}
          {s.locked && <Tag color="orange">{t('staff.locked')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('staff.lastSignIn'),
      key: 'last',
      width: 170,
      render: (_, s) => (s.lastSignInAt ? formatDateTime(s.lastSignInAt, i18n.language) : t('staff.never')),
    },
    ...(mayManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 180,
            render: (_: unknown, s: Staff) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setEditing(s)}>
                  {t('common.edit')}
                </Button>
                <Button type="link" size="small" icon={<KeyOutlined />} onClick={() => setResetting(s)}>
                  {t('staff.resetPassword')}
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={t('staff.title')}
      extra={
        <Space>
          <Input.Search
            allowClear
            placeholder={t('staff.filterName')}
            onChange={(e) => setFilter(e.target.value)}
            style={{ width: 240 }}
          />
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            {t('common.refresh')}
          </Button>
          {mayManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('common.create')}
            </Button>
          )}
        </Space>
      }
    >
      <Table<Staff>
        rowKey="id"
        columns={columns}
        dataSource={rows}
        loading={list.loading}
        size="middle"
        pagination={{ pageSize: 20, showTotal: (total) => t('common.total', { total }) }}
        data-testid="staff-table"
      />
      <FormModal<CreateForm>
        open={creating}
        title={t('staff.createTitle')}
        initialValues={{ locale: 'zh-CN', orgUnitId: scope.selectedId ?? user.orgUnitId }}
        onCancel={() => setCreating(false)}
        onSubmit={async (values) => {
          await api.post('/staff', { ...values, username: values.username.trim().toLowerCase() });
          void message.success(t('staff.created'));
          setCreating(false);
          list.reload();
        }}
      >
        <Form.Item
          name="username"
          label={t('staff.username')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input autoComplete="off" maxLength={64} />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('staff.displayName')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="orgUnitId"
          label={t('staff.unit')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <OrgTreeSelect />
        </Form.Item>
        <Form.Item
          name="roles"
          label={t('staff.roles')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select mode="multiple" options={roleOptions} />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('staff.password')}
          rules={[
            { required: true, message: t('common.required') },
            { min: 10, message: t('staff.passwordHint') },
          ]}
        >
          <Input.Password autoComplete="new-password" placeholder={t('staff.passwordHint')} />
        </Form.Item>
        <Form.Item name="locale" label={t('staff.locale')}>
          <Select options={localeOptions} />
        </Form.Item>
      </FormModal>
      <FormModal<EditForm>
        open={editing !== undefined}
        title={editing ? t('staff.editTitle', { name: editing.displayName }) : ''}
        initialValues={
          editing
            ? {
                displayName: editing.displayName,
                orgUnitId: editing.orgUnitId,
                roles: [...editing.roles],
                active: editing.active,
                locale: editing.locale === 'en' ? 'en' : 'zh-CN',
              }
            : {}
        }
        onCancel={() => setEditing(undefined)}
        onSubmit={async (values) => {
          if (!editing) return;
          await api.patch(`/staff/${editing.id}`, values);
          void message.success(t('common.saved'));
          setEditing(undefined);
          list.reload();
        }}
      >
        <Form.Item
          name="displayName"
          label={t('staff.displayName')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="orgUnitId"
          label={t('staff.unit')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <OrgTreeSelect />
        </Form.Item>
        <Form.Item
          name="roles"
          label={t('staff.roles')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select mode="multiple" options={roleOptions} />
        </Form.Item>
        <Form.Item name="active" label={t('common.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="locale" label={t('staff.locale')}>
          <Select options={localeOptions} />
        </Form.Item>
      </FormModal>
      <FormModal<{ password: string }>
        open={resetting !== undefined}
        title={resetting ? t('staff.resetTitle', { name: resetting.displayName }) : ''}
        onCancel={() => setResetting(undefined)}
        onSubmit={async (values) => {
          if (!resetting) return;
          await api.post(`/staff/${resetting.id}/password`, values);
          void message.success(t('staff.resetDone'));
          setResetting(undefined);
          list.reload();
        }}
      >
        <Form.Item
          name="password"
          label={t('staff.newPassword')}
          rules={[
            { required: true, message: t('common.required') },
            { min: 10, message: t('staff.passwordHint') },
          ]}
        >
          <Input.Password autoComplete="new-password" placeholder={t('staff.passwordHint')} />
        </Form.Item>
      </FormModal>
    </Card>
  );
}

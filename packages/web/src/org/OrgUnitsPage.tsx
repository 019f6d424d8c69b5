import { ReloadOutlined } from '@ant-design/icons';
import { App, Badge, Button, Card, Form, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUser } from '../identity/session.tsx';
import { api, describeError } from '../shell/api.ts';
import { FormModal } from '../shell/FormModal.tsx';
import { ChildKinds, type OrgUnit, type OrgUnitKind } from '../shell/types.ts';
import { type OrgTreeNode, orgUnitLabel, useOrgScope } from './scope.tsx';

interface Row {
  key: string;
  unit: OrgUnit;
  children?: Row[];
}

function toRows(nodes: readonly OrgTreeNode[]): Row[] {
  return nodes.map((n) => ({
    key: n.unit.id,
    unit: n.unit,
    ...(n.children.length > 0 ? { children: toRows(n.children) } : {}),
  }));
}

interface CreateForm {
  kind: OrgUnitKind;
  code: string;
  name: string;
  nameEn?: string;
  timeZone?: string;
  address?: string;
}
type EditForm = Omit<CreateForm, 'kind' | 'code'>;

const kindColour: Record<OrgUnitKind, string> = {
  head_office: 'red',
  region: 'volcano',
  branch: 'blue',
  department: 'default',
};

function clean<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  ) as Partial<T>;
}

export function OrgUnitsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const user = useUser();
  const scope = useOrgScope();
  const [creatingUnder, setCreatingUnder] = useState<OrgUnit | undefined>(undefined);
  const [editing, setEditing] = useState<OrgUnit | undefined>(undefined);
  const mayManage = user.can('org.manage');

  const setActive = async (unit: OrgUnit, active: boolean) => {
    try {
      await api.patch(`/org-units/${unit.id}`, { active });
      void message.success(t('common.saved'));
      await scope.reload();
    } catch (error) {
      const { title, detail } = describeError(error, t);
      void message.error(detail ? `${title} — ${detail}` : title);
    }
  };

  const columns: ColumnsType<Row> = [
    {
      title: t('org.name'),
      key: 'name',
      width: 280,
      render: (_, r) => (
        <strong style={{ fontWeight: r.unit.depth < 2 ? 600 : 400 }}>
          {orgUnitLabel(r.unit, i18n.language)}
        </strong>
      ),
    },
    { title: t('org.code'), key: 'code', render: (_, r) => <code>{r.unit.code}</code>, width: 120 },
    {
      title: t('org.kind'),
      key: 'kind',
      width: 100,
      render: (_, r) => <Tag color={kindColour[r.unit.kind]}>{t(`orgKind.${r.unit.kind}`)}</Tag>,
    },
    { title: t('org.timeZone'), key: 'tz', width: 150, render: (_, r) => r.unit.timeZone },
    {
      title: t('org.address'),
      key: 'address',
      ellipsis: true,
      render: (_, r) => r.unit.address ?? t('common.none'),
    },
    {
      title: t('common.status'),
      key: 'active',
      width: 90,
      render: (_, r) =>
        r.unit.active ? (
          <Badge status="success" text={t('common.active')} />
        ) : (
          <Badge status="default" text={t('common.inactive')} />
        ),
    },
    ...(mayManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 220,
            render: (_: unknown, r: Row) => (
              <Space size={4}>
                {ChildKinds[r.unit.kind].length > 0 && r.unit.active && (
                  <Button size="small" type="link" onClick={() => setCreatingUnder(r.unit)}>
                    {t('org.addChild')}
                  </Button>
                )}
                <Button size="small" type="link" onClick={() => setEditing(r.unit)}>
                  {t('common.edit')}
                </Button>
                {r.unit.active ? (
                  <Popconfirm
                    title={t('org.deactivateConfirm', { name: r.unit.name })}
                    okText={t('common.confirm')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => setActive(r.unit, false)}
                  >
                    <Button size="small" type="link" danger>
                      {t('org.deactivate')}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Button size="small" type="link" onClick={() => setActive(r.unit, true)}>
                    {t('org.activate')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];

  // The header's org switcher narrows the tree to the chosen unit's subtree.
  const findNode = (nodes: readonly OrgTreeNode[], id: string): OrgTreeNode | undefined => {
    for (const n of nodes) {
      if (n.unit.id === id) return n;
      const hit = findNode(n.children, id);
      if (hit) return hit;
    }
    return undefined;
  };
  const chosen = scope.selectedId ? findNode(scope.tree, scope.selectedId) : undefined;
  const rows = toRows(chosen ? [chosen] : scope.tree);
  const childKinds = creatingUnder ? ChildKinds[creatingUnder.kind] : [];

  return (
    <Card
      title={t('org.title')}
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void scope.reload()}>
          {t('common.refresh')}
        </Button>
      }
    >
      <Table<Row>
        rowKey="key"
        columns={columns}
        dataSource={rows}
        loading={scope.loading}
        pagination={false}
        size="middle"
        expandable={{ defaultExpandAllRows: true }}
        key={`${scope.selectedId ?? 'all'}-${scope.units.length}`}
        data-testid="org-table"
      />
      <FormModal<CreateForm>
        open={creatingUnder !== undefined}
        title={creatingUnder ? t('org.createTitle', { parent: creatingUnder.name }) : ''}
        initialValues={{ kind: childKinds[0], timeZone: creatingUnder?.timeZone }}
        onCancel={() => setCreatingUnder(undefined)}
        onSubmit={async (values) => {
          if (!creatingUnder) return;
          await api.post('/org-units', { ...clean(values), parentId: creatingUnder.id });
          void message.success(t('org.created'));
          setCreatingUnder(undefined);
          await scope.reload();
        }}
      >
        <Form.Item
          name="kind"
          label={t('org.kind')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select options={childKinds.map((k) => ({ value: k, label: t(`orgKind.${k}`) }))} />
        </Form.Item>
        <Form.Item
          name="code"
          label={t('org.code')}
          extra={t('org.codeHint')}
          normalize={(v: string) => v.toUpperCase()}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: /^[A-Z0-9][A-Z0-9-]{1,31}$/, message: t('org.codeHint') },
          ]}
        >
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('org.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="nameEn" label={t('org.nameEn')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="timeZone" label={t('org.timeZone')}>
          <Input placeholder="Asia/Shanghai" />
        </Form.Item>
        <Form.Item name="address" label={t('org.address')}>
          <Input maxLength={200} />
        </Form.Item>
      </FormModal>
      <FormModal<EditForm>
        open={editing !== undefined}
        title={editing ? t('org.editTitle', { name: editing.name }) : ''}
        initialValues={
          editing
            ? {
                name: editing.name,
                nameEn: editing.nameEn ?? undefined,
                timeZone: editing.timeZone,
                address: editing.address ?? undefined,
              }
            : {}
        }
        onCancel={() => setEditing(undefined)}
        onSubmit={async (values) => {
          if (!editing) return;
          await api.patch(`/org-units/${editing.id}`, clean(values));
          void message.success(t('common.saved'));
          setEditing(undefined);
          await scope.reload();
        }}
      >
        <Form.Item
          name="name"
          label={t('org.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="nameEn" label={t('org.nameEn')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="timeZone" label={t('org.timeZone')}>
          <Input />
        </Form.Item>
        <Form.Item name="address" label={t('org.address')}>
          <Input maxLength={200} />
        </Form.Item>
      </FormModal>
    </Card>
  );
}

import { CloudUploadOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Input, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useUser } from '../identity/session.tsx';
import { useOrgScope } from '../org/scope.tsx';
import { api } from '../shell/api.ts';
import { FormModal } from '../shell/FormModal.tsx';
import { useAsync } from '../shell/hooks.ts';
import { type Customer, type CustomerTier, type Page, TierList } from '../shell/types.ts';
import { CustomerDrawer, tierColour } from './CustomerDrawer.tsx';
import { CustomerFormFields, type CustomerFormValues } from './CustomerForm.tsx';

export function CustomersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const user = useUser();
  const scope = useOrgScope();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [tier, setTier] = useState<CustomerTier | undefined>(undefined);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [openId, setOpenId] = useState<string | undefined>(undefined);
  const [creating, setCreating] = useState(false);

  const list = useAsync(
    (signal) =>
      api.get<Page<Customer>>(
        '/customers',
        { orgUnitId: scope.selectedId, q: query || undefined, tier, page, pageSize },
        signal,
      ),
    [scope.selectedId, query, tier, page, pageSize],
  );

  const columns: ColumnsType<Customer> = [
    {
      title: t('customer.customerNo'),
      dataIndex: 'customerNo',
      width: 120,
      render: (v: string) => <code>{v}</code>,
    },
    {
      title: t('customer.name'),
      dataIndex: 'name',
      render: (v: string, c) => (
        <Button
          type="link"
          size="small"
          style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }}
          onClick={() => setOpenId(c.id)}
        >
          {v}
        </Button>
      ),
    },
    {
      title: t('customer.kind'),
      dataIndex: 'kind',
      width: 80,
      render: (_, c) => t(`customerKind.${c.kind}`),
    },
    {
      title: t('customer.idNumber'),
      dataIndex: 'idNumber',
      width: 200,
      render: (v: string) => <span className="sl-mono">{v}</span>,
    },
    {
      title: t('customer.phone'),
      dataIndex: 'phone',
      width: 130,
      render: (v: string | null) => v ?? t('common.none'),
    },
    {
      title: t('customer.tier'),
      dataIndex: 'tier',
      width: 90,
      render: (_, c) => <Tag color={tierColour[c.tier]}>{t(`tier.${c.tier}`)}</Tag>,
    },
    {
      title: t('customer.serviceLevel'),
      dataIndex: 'serviceLevel',
      width: 100,
      render: (_, c) => t(`serviceLevel.${c.serviceLevel}`),
    },
    {
      title: t('customer.homeBranch'),
      dataIndex: 'homeBranchName',
      width: 180,
      ellipsis: true,
      render: (_, c) => scope.unitName(c.homeBranchId) || c.homeBranchName,
    },
    {
      title: t('customer.accountManager'),
      dataIndex: 'accountManagerName',
      width: 140,
      ellipsis: true,
      render: (v: string | null) => v ?? t('common.none'),
    },
  ];

  const search = (value: string) => {
    setPage(1);
    setQuery(value.trim());
  };

  return (
    <Card
      title={t('customer.title')}
      extra={
        <Space>
          {user.can('customer.import') && (
            <Button icon={<CloudUploadOutlined />} onClick={() => navigate('/customers/import')}>
              {t('customer.import')}
            </Button>
          )}
          {user.can('customer.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('common.create')}
            </Button>
          )}
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label={t('common.search')}
          placeholder={t('customer.searchPlaceholder')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onSearch={search}
          enterButton={t('common.search')}
          allowClear
          style={{ width: 360 }}
          autoFocus
          id="customer-search"
        />
        <Select<CustomerTier>
          aria-label={t('customer.tierFilter')}
          placeholder={t('customer.tierFilter')}
          allowClear
          value={tier}
          onChange={(v) => {
            setPage(1);
            setTier(v ?? undefined);
          }}
          options={TierList.map((v) => ({ value: v, label: t(`tier.${v}`) }))}
          style={{ width: 140 }}
          data-testid="tier-filter"
        />
        <Button
          onClick={() => {
            setQ('');
            setQuery('');
            setTier(undefined);
            setPage(1);
          }}
        >
          {t('common.reset')}
        </Button>
      </Space>
      <Table<Customer>
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items as Customer[] | undefined}
        loading={list.loading}
        size="small"
        onRow={(c) => ({ onDoubleClick: () => setOpenId(c.id) })}
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (total) => <span data-testid="customer-total">{t('common.total', { total })}</span>,
          onChange: (p, s) => {
            setPage(s === pageSize ? p : 1);
            setPageSize(s);
          },
        }}
        data-testid="customer-table"
      />
      <CustomerDrawer customerId={openId} onClose={() => setOpenId(undefined)} onChanged={list.reload} />
      <FormModal<CustomerFormValues>
        open={creating}
        width={720}
        title={t('customer.createTitle')}
        initialValues={{ kind: 'person', idType: 'resident_id', tier: 'ordinary', serviceLevel: 'basic' }}
        onCancel={() => setCreating(false)}
        onSubmit={async (v) => {
          const body = {
            kind: v.kind,
            name: v.name.trim(),
            idType: v.idType,
            idNumber: v.idNumber.trim(),
            tier: v.tier,
            serviceLevel: v.serviceLevel,
            homeBranchId: v.homeBranchId,
            ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}),
            ...(v.email?.trim() ? { email: v.email.trim() } : {}),
            ...(v.birthDate ? { birthDate: v.birthDate.format('YYYY-MM-DD') } : {}),
            ...(v.accountManagerId ? { accountManagerId: v.accountManagerId } : {}),
            ...(v.notes?.trim() ? { notes: v.notes.trim() } : {}),
          };
          const created = await api.post<Customer>('/customers', body);
          void message.success(t('customer.created'));
          setCreating(false);
          list.reload();
          setOpenId(created.id);
        }}
      >
        <CustomerFormFields mode="create" />
      </FormModal>
    </Card>
  );
}

import { EditOutlined, EyeOutlined, InboxOutlined, LockOutlined, UnlockOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Drawer, Form, Input, Skeleton, Space, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUser } from '../identity/session.tsx';
import { useOrgScope } from '../org/scope.tsx';
import { api, describeError } from '../shell/api.ts';
import { FormModal } from '../shell/FormModal.tsx';
import type { Customer } from '../shell/types.ts';
import { CustomerFormFields, type CustomerFormValues } from './CustomerForm.tsx';
import { CustomerValuePanel } from './CustomerValuePanel.tsx';

export const tierColour: Record<Customer['tier'], string> = {
  vip: 'gold',
  major: 'volcano',
  ordinary: 'blue',
  small: 'default',
};

export function CustomerDrawer({
  customerId,
  onClose,
  onChanged,
}: {
  readonly customerId: string | undefined;
  readonly onClose: () => void;
  readonly onChanged: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const user = useUser();
  const scope = useOrgScope();
  const [customer, setCustomer] = useState<Customer | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [revealing, setRevealing] = useState(false);
  const [archiving, setArchiving] = useState(false);
  const [editing, setEditing] = useState(false);

  useEffect(() => {
    setCustomer(undefined);
    setError(undefined);
    if (!customerId) return;
    const controller = new AbortController();
    api
      .get<Customer>(`/customers/${customerId}`, undefined, controller.signal)
      .then(setCustomer)
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(describeError(e, t).title);
      });
    return () => controller.abort();
  }, [customerId, t]);

  const c = customer;
  const none = t('common.none');
  return (
    <Drawer
      open={customerId !== undefined}
      onClose={onClose}
      size={620}
      title={c ? `${c.name} · ${c.customerNo}` : t('customer.detail')}
      data-testid="customer-drawer"
      extra={
        c && (
          <Space>
            {user.can('customer.reveal') && c.masked && (
              <Button icon={<EyeOutlined />} onClick={() => setRevealing(true)} data-testid="reveal-button">
                {t('customer.reveal')}
              </Button>
            )}
            {user.can('customer.manage') && (
              <>
                <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
                  {t('common.edit')}
                </Button>
                <Button danger icon={<InboxOutlined />} onClick={() => setArchiving(true)}>
                  {t('customer.archive')}
                </Button>
              </>
            )}
          </Space>
        )
      }
    >
      {error && <Alert type="error" showIcon title={error} />}
      {!c && !error && <Skeleton active />}
      {c && (
        <>
          {c.masked ? (
            <Tag icon={<LockOutlined />} color="default" style={{ marginBottom: 12 }}>
              {t('customer.masked')}
            </Tag>
          ) : (
            <Tag
              icon={<UnlockOutlined />}
              color="orange"
              style={{ marginBottom: 12 }}
              data-testid="unmasked-tag"
            >
              {t('customer.unmasked')}
            </Tag>
          )}
          <Descriptions column={2} bordered size="small">
            <Descriptions.Item label={t('customer.customerNo')}>{c.customerNo}</Descriptions.Item>
            <Descriptions.Item label={t('customer.kind')}>{t(`customerKind.${c.kind}`)}</Descriptions.Item>
            <Descriptions.Item label={t('customer.name')} span={2}>
              {c.name}
            </Descriptions.Item>
            <Descriptions.Item label={t('customer.idType')}>{t(`idType.${c.idType}`)}</Descriptions.Item>
            <Descriptions.Item label={t('customer.idNumber')}>
              <span data-testid="customer-id-number">{c.idNumber}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('customer.phone')}>
              <span data-testid="customer-phone">{c.phone ?? none}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('customer.email')}>{c.email ?? none}</Descriptions.Item>
            <Descriptions.Item label={t('customer.birthDate')}>{c.birthDate ?? none}</Descriptions.Item>
            <Descriptions.Item label={t('customer.tier')}>
              <Tag color={tierColour[c.tier]}>{t(`tier.${c.tier}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('customer.serviceLevel')}>
              {t(`serviceLevel.${c.serviceLevel}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('customer.homeBranch')}>
              {scope.unitName(c.homeBranchId) || c.homeBranchName}
            </Descriptions.Item>
            <Descriptions.Item label={t('customer.accountManager')} span={2}>
              {c.accountManagerName ?? none}
            </Descriptions.Item>
            <Descriptions.Item label={t('customer.notes')} span={2}>
              {c.notes ?? none}
            </Descriptions.Item>
          </Descriptions>
          <CustomerValuePanel customerId={c.id} />
        </>
      )}
      <FormModal<{ reason: string }>
        open={revealing}
        title={t('customer.revealTitle')}
        okText={t('customer.reveal')}
        onCancel={() => setRevealing(false)}
        testId="reveal-modal"
        onSubmit={async ({ reason }) => {
          if (!c) return;
          setCustomer(await api.post<Customer>(`/customers/${c.id}/reveal`, { reason: reason.trim() }));
          setRevealing(false);
          void message.warning(t('customer.revealed'));
        }}
      >
        <Alert type="warning" showIcon title={t('customer.revealHint')} style={{ marginBottom: 16 }} />
        <Form.Item
          name="reason"
          label={t('common.reason')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('common.reasonRequired') }]}
        >
          <Input.TextArea rows={2} maxLength={200} autoFocus />
        </Form.Item>
      </FormModal>
      <FormModal<{ reason: string }>
        open={archiving}
        title={c ? t('customer.archiveTitle', { name: c.name }) : ''}
        okText={t('customer.archive')}
        onCancel={() => setArchiving(false)}
        onSubmit={async ({ reason }) => {
          if (!c) return;
          await api.post(`/customers/${c.id}/archive`, { reason: reason.trim() });
          setArchiving(false);
          void message.success(t('customer.archived'));
          onChanged();
          onClose();
        }}
      >
        <Alert type="info" showIcon title={t('customer.archiveHint')} style={{ marginBottom: 16 }} />
        <Form.Item
          name="reason"
          label={t('common.reason')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('common.reasonRequired') }]}
        >
          <Input.TextArea rows={2} maxLength={200} autoFocus />
        </Form.Item>
      </FormModal>
      <FormModal<CustomerFormValues>
        open={editing}
        width={720}
        title={c ? t('customer.editTitle', { name: c.name }) : ''}
        initialValues={
          c
            ? {
                kind: c.kind,
                name: c.name,
                idType: c.idType,
                idNumber: c.idNumber,
                // Masked values are not sent back; the user types a new one or leaves it.
                phone: c.masked ? undefined : (c.phone ?? undefined),
                email: c.masked ? undefined : (c.email ?? undefined),
                tier: c.tier,
                serviceLevel: c.serviceLevel,
                homeBranchId: c.homeBranchId,
                accountManagerId: c.accountManagerId,
                notes: c.notes ?? undefined,
              }
            : {}
        }
        onCancel={() => setEditing(false)}
        onSubmit={async (v) => {
          if (!c) return;
          const patch: Record<string, unknown> = {
            name: v.name.trim(),
            tier: v.tier,
            serviceLevel: v.serviceLevel,
            homeBranchId: v.homeBranchId,
            notes: v.notes?.trim() ? v.notes : null,
          };
          if (v.phone?.trim()) patch.phone = v.phone.trim();
          if (v.email?.trim()) patch.email = v.email.trim();
          // The field exists only for users who may list staff; cleared means no manager.
          if ('accountManagerId' in v) patch.accountManagerId = v.accountManagerId ?? null;
          setCustomer(await api.patch<Customer>(`/customers/${c.id}`, patch));
          setEditing(false);
          void message.success(t('common.saved'));
          onChanged();
        }}
      >
        <CustomerFormFields mode="edit" />
      </FormModal>
    </Drawer>
  );
}

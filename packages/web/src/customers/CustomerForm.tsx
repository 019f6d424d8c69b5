import { Col, DatePicker, Form, Input, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useUser } from '../identity/session.tsx';
import { OrgTreeSelect } from '../org/OrgTreeSelect.tsx';
import { api } from '../shell/api.ts';
import { useAsync } from '../shell/hooks.ts';
import {
  CompanyIdTypes,
  CompanyLevels,
  type CustomerTier,
  type IdType,
  PersonIdTypes,
  PersonLevels,
  type ServiceLevel,
  type Staff,
  TierList,
} from '../shell/types.ts';

export interface CustomerFormValues {
  kind: 'person' | 'company';
  name: string;
  idType: IdType;
  idNumber: string;
  phone?: string;
  email?: string;
  birthDate?: { format: (f: string) => string } | null;
  tier: CustomerTier;
  serviceLevel: ServiceLevel;
  homeBranchId: string;
  accountManagerId?: string | null;
  notes?: string;
}

/** Fields of the create and edit forms; identity fields are fixed once a customer exists. */
export function CustomerFormFields({ mode }: { readonly mode: 'create' | 'edit' }) {
  const { t } = useTranslation();
  const user = useUser();
  const form = Form.useFormInstance<CustomerFormValues>();
  const kind = Form.useWatch('kind', form) ?? 'person';
  const managers = useAsync(
    (signal) => (user.can('staff.read') ? api.get<Staff[]>('/staff', {}, signal) : Promise.resolve([])),
    [],
  );
  const levels = kind === 'company' ? CompanyLevels : PersonLevels;
  const idTypes = kind === 'company' ? CompanyIdTypes : PersonIdTypes;
  const required = [{ required: true, message: t('common.required') }];
  return (
    <Row gutter={16}>
      <Col span={12}>
        <Form.Item name="kind" label={t('customer.kind')} rules={required}>
          <Select
            disabled={mode === 'edit'}
            options={(['person', 'company'] as const).map((k) => ({
              value: k,
              label: t(`customerKind.${k}`),
            }))}
            onChange={(next: 'person' | 'company') =>
              form.setFieldsValue({
                idType: next === 'company' ? 'uscc' : 'resident_id',
                serviceLevel: next === 'company' ? '3A' : 'basic',
              })
            }
          />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item
          name="name"
          label={t('customer.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input maxLength={120} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="idType" label={t('customer.idType')} rules={required}>
          <Select
            disabled={mode === 'edit'}
            options={idTypes.map((v) => ({ value: v, label: t(`idType.${v}`) }))}
          />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="idNumber" label={t('customer.idNumber')} rules={required}>
          <Input disabled={mode === 'edit'} maxLength={40} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="phone" label={t('customer.phone')}>
          <Input maxLength={20} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="email" label={t('customer.email')} rules={[{ type: 'email' }]}>
          <Input maxLength={200} />
        </Form.Item>
      </Col>
      {mode === 'create' && kind === 'person' && (
        <Col span={12}>
          <Form.Item name="birthDate" label={t('customer.birthDate')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      )}
      <Col span={12}>
        <Form.Item name="tier" label={t('customer.tier')} rules={required}>
          <Select options={TierList.map((v) => ({ value: v, label: t(`tier.${v}`) }))} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="serviceLevel" label={t('customer.serviceLevel')} rules={required}>
          <Select options={levels.map((v) => ({ value: v, label: t(`serviceLevel.${v}`) }))} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="homeBranchId" label={t('customer.homeBranch')} rules={required}>
          <OrgTreeSelect kinds={['branch']} />
        </Form.Item>
      </Col>
      {user.can('staff.read') && (
        <Col span={12}>
          <Form.Item name="accountManagerId" label={t('customer.accountManager')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              loading={managers.loading}
              options={(managers.data ?? [])
                .filter((s) => s.active && s.roles.includes('customer_manager'))
                .map((s) => ({ value: s.id, label: `${s.displayName} (${s.username})` }))}
            />
          </Form.Item>
        </Col>
      )}
      <Col span={24}>
        <Form.Item name="notes" label={t('customer.notes')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Col>
    </Row>
  );
}

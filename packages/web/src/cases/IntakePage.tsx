import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useUser } from '../identity/session.tsx';
import { api, describeError, fieldErrors } from '../shell/api.ts';
import type { Customer, Page } from '../shell/types.ts';
import {
  type CaseChannel,
  type CaseDetail,
  ChannelList,
  formatMoney,
  JrtBusinessList,
  type JrtBusinessType,
  type JrtCause,
  JrtCauseList,
  type JrtChannel,
  JrtChannelList,
  NonPropertyList,
  RemedyList,
  SeverityList,
  yuanToFen,
} from './model.ts';

interface IntakeValues {
  customerKind: 'walk_in' | 'linked';
  customerId?: string;
  walkInName?: string;
  walkInPhone?: string;
  channel: CaseChannel;
  business: string;
  product?: string;
  subject?: string;
  content: string;
  compensationYuan?: number | null;
  compensationReason?: string;
  remedies: string[];
  nonProperty: string[];
  severity: (typeof SeverityList)[number];
  jrtChannel: JrtChannel;
  jrtBusiness: JrtBusinessType;
  jrtCause: JrtCause;
  otherText?: string;
}

/** The JR/T channel a case channel usually means; the teller may change it. */
const JRT_FOR_CHANNEL: Readonly<Record<CaseChannel, JrtChannel>> = {
  counter: 'branch_counter',
  hotline: 'telephone_banking',
  web_app: 'mobile_app',
  email: 'electronic_other',
  letter: 'other',
  regulator_referral: 'branch_counter',
  social_media: 'public_platform',
  internal: 'middle_back_office',
};

const FORM_FIELDS = ['subject', 'content', 'channel'] as const;
function isFormField(name: string): name is (typeof FORM_FIELDS)[number] {
  return (FORM_FIELDS as readonly string[]).includes(name);
}

export function IntakePage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const user = useUser();
  const navigate = useNavigate();
  const [form] = Form.useForm<IntakeValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ title: string; detail?: string } | undefined>(undefined);
  const [created, setCreated] = useState<CaseDetail | undefined>(undefined);
  const [options, setOptions] = useState<readonly Customer[]>([]);
  const kind = Form.useWatch('customerKind', form);
  const jrt = Form.useWatch(['jrtChannel'], form);
  const jrtB = Form.useWatch(['jrtBusiness'], form);
  const jrtC = Form.useWatch(['jrtCause'], form);
  const needsOther = [jrt, jrtB, jrtC].includes('other');

  const initialValues: IntakeValues = useMemo(
    () => ({
      customerKind: 'walk_in',
      channel: 'counter',
      business: '',
      content: '',
      remedies: [],
      nonProperty: [],
      severity: 'medium',
      jrtChannel: 'branch_counter',
      jrtBusiness: 'debit_card',
      jrtCause: 'service_attitude_quality',
      compensationReason: t('cases.intake.defaultReason'),
    }),
    [t],
  );

  const search = async (q: string) => {
    if (q.trim().length < 1) return;
    try {
      const page = await api.get<Page<Customer>>('/customers', { q: q.trim(), pageSize: 10 });
      setOptions(page.items);
    } catch {
      setOptions([]);
    }
  };

  const submit = async (v: IntakeValues) => {
    setError(undefined);
    const fen =
      v.compensationYuan === null || v.compensationYuan === undefined
        ? undefined
        : yuanToFen(v.compensationYuan);
    if (v.compensationYuan !== null && v.compensationYuan !== undefined && fen === undefined) {
      form.setFields([{ name: 'compensationYuan', errors: [t('common.required')] }]);
      return;
    }
    const linked = v.customerKind === 'linked' ? options.find((c) => c.id === v.customerId) : undefined;
    const money = fen !== undefined && fen > 0 ? { amountMinor: fen, currency: 'CNY' } : undefined;
    const subject = (v.subject?.trim() || v.content.trim().slice(0, 40)).trim();
    const body = {
      type: 'complaint',
      orgUnitId: user.orgUnitId,
      channel: v.channel,
      customer:
        v.customerKind === 'linked'
          ? { kind: 'linked', customerId: v.customerId }
          : {
              kind: 'walk_in',
              name: v.walkInName?.trim() ?? '',
              ...(v.walkInPhone?.trim() ? { phone: v.walkInPhone.trim() } : {}),
            },
      subject,
      content: v.content,
      complaint: {
        business: v.business,
        ...(v.product?.trim() ? { product: v.product.trim() } : {}),
        claims: { compensation: money ?? null, remedies: v.remedies, nonProperty: v.nonProperty },
        severity: v.severity,
        serviceLevel: linked?.serviceLevel ?? 'unrated',
        classification: {
          channel: v.jrtChannel,
          businessType: v.jrtBusiness,
          cause: v.jrtCause,
          ...(needsOther && v.otherText?.trim() ? { otherText: v.otherText.trim() } : {}),
        },
      },
      ...(money
        ? {
            compensation: {
              amount: money,
              reason: v.compensationReason?.trim() || t('cases.intake.defaultReason'),
            },
          }
        : {}),
    };
    setSaving(true);
    try {
      const detail = await api.post<CaseDetail>('/cases', body);
      setCreated(detail);
      message.success(t('cases.intake.created', { number: detail.case.number }));
    } catch (e) {
      setError(describeError(e, t));
      const fields = fieldErrors(e);
      form.setFields(
        fields.flatMap((f) => (isFormField(f.name) ? [{ name: f.name, errors: f.errors }] : [])),
      );
    } finally {
      setSaving(false);
    }
  };

  if (created) {
    const comp = created.case.compensations[0];
    const amount = comp ? formatMoney(comp.amount.amountMinor, comp.amount.currency, i18n.language) : '';
    return (
      <Card>
        <Result
          status="success"
          title={
            <span data-testid="intake-number">
              {t('cases.intake.created', { number: created.case.number })}
            </span>
          }
          subTitle={
            <span
              data-testid="intake-compensation"
              data-status={comp?.status ?? 'none'}
              style={{ fontSize: 16 }}
            >
              {!comp && t('cases.intake.noCompensation')}
              {comp?.status === 'granted' && (
                <Typography.Text type="success" strong>
                  {t('cases.intake.grantedOnSpot', { amount })}
                </Typography.Text>
              )}
              {comp?.status === 'pending_approval' && (
                <Typography.Text type="warning" strong>
                  {t('cases.intake.toApproval', { amount })}
                </Typography.Text>
              )}
            </span>
          }
          extra={[
            <Button
              key="again"
              type="primary"
              data-testid="intake-another"
              onClick={() => {
                setCreated(undefined);
                form.resetFields();
              }}
            >
              {t('cases.intake.another')}
            </Button>,
            <Button
              key="open"
              data-testid="intake-open"
              onClick={() => navigate(`/cases/${created.case.id}`)}
            >
              {t('cases.intake.open')}
            </Button>,
          ]}
        />
      </Card>
    );
  }

  return (
    <Card
      title={t('cases.intake.title')}
      extra={<Typography.Text type="secondary">{t('cases.intake.hint')}</Typography.Text>}
    >
      {error && (
        <Alert
          type="error"
          showIcon
          title={error.title}
          description={error.detail}
          style={{ marginBottom: 16 }}
          data-testid="intake-error"
        />
      )}
      <Form<IntakeValues>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(v) => void submit(v)}
        onValuesChange={(changed: Partial<IntakeValues>) => {
          if (changed.channel) form.setFieldValue('jrtChannel', JRT_FOR_CHANNEL[changed.channel]);
        }}
        data-testid="intake-form"
      >
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="customerKind" label={t('cases.intake.customer')}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'walk_in', label: t('cases.intake.walkIn') },
                  { value: 'linked', label: t('cases.intake.linked') },
                ]}
              />
            </Form.Item>
          </Col>
          {kind === 'linked' ? (
            <Col xs={24} md={16}>
              <Form.Item
                name="customerId"
                label={t('cases.intake.searchCustomer')}
                rules={[{ required: true, message: t('common.required') }]}
              >
                <Select
                  id="intake-customer"
                  showSearch={{ filterOption: false, onSearch: (q) => void search(q) }}
                  placeholder={t('cases.intake.searchCustomer')}
                  options={options.map((c) => ({
                    value: c.id,
                    label: `${c.name} · ${c.customerNo}${c.phone ? ` · ${c.phone}` : ''}`,
                  }))}
                />
              </Form.Item>
            </Col>
          ) : (
            <>
              <Col xs={12} md={8}>
                <Form.Item
                  name="walkInName"
                  label={t('cases.intake.walkInName')}
                  rules={[{ required: true, whitespace: true, message: t('common.required') }]}
                >
                  <Input id="intake-name" autoFocus maxLength={100} />
                </Form.Item>
              </Col>
              <Col xs={12} md={8}>
                <Form.Item name="walkInPhone" label={t('cases.intake.walkInPhone')}>
                  <Input id="intake-phone" maxLength={30} inputMode="tel" />
                </Form.Item>
              </Col>
            </>
          )}
        </Row>
        <Row gutter={16}>
          <Col xs={12} md={6}>
            <Form.Item name="channel" label={t('cases.intake.channel')}>
              <Select options={ChannelList.map((c) => ({ value: c, label: t(`cases.channel.${c}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item
              name="business"
              label={t('cases.intake.business')}
              rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            >
              <Input id="intake-business" maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="product" label={t('cases.intake.product')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="severity" label={t('cases.intake.severity')}>
              <Radio.Group
                optionType="button"
                options={SeverityList.map((s) => ({ value: s, label: t(`cases.severity.${s}`) }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="subject" label={t('cases.intake.subject')}>
          <Input id="intake-subject" maxLength={200} />
        </Form.Item>
        <Form.Item
          name="content"
          label={t('cases.intake.content')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input.TextArea id="intake-content" rows={3} maxLength={10_000} />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={12} md={6}>
            <Form.Item name="compensationYuan" label={t('cases.intake.compensation')}>
              <InputNumber<number>
                id="intake-compensation"
                min={0}
                max={10_000_000}
                precision={2}
                prefix="¥"
                style={{ width: '100%' }}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="compensationReason" label={t('cases.intake.compensationReason')}>
              <Input maxLength={500} />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="remedies" label={t('cases.intake.remedies')}>
              <Checkbox.Group
                options={RemedyList.map((r) => ({ value: r, label: t(`cases.remedy.${r}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="nonProperty" label={t('cases.intake.nonProperty')}>
              <Select
                mode="multiple"
                options={NonPropertyList.map((r) => ({ value: r, label: t(`cases.nonProperty.${r}`) }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t('cases.intake.classification')}</Typography.Title>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="jrtChannel" label={t('cases.intake.jrtChannel')}>
              <Select
                id="intake-jrt-channel"
                options={JrtChannelList.map((k) => ({ value: k, label: t(`cases.jrtChannel.${k}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="jrtBusiness" label={t('cases.intake.jrtBusiness')}>
              <Select
                id="intake-jrt-business"
                showSearch={{ optionFilterProp: 'label' }}
                options={JrtBusinessList.map((k) => ({ value: k, label: t(`cases.jrtBusiness.${k}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="jrtCause" label={t('cases.intake.jrtCause')}>
              <Select
                id="intake-jrt-cause"
                showSearch={{ optionFilterProp: 'label' }}
                options={JrtCauseList.map((k) => ({ value: k, label: t(`cases.jrtCause.${k}`) }))}
              />
            </Form.Item>
          </Col>
        </Row>
        {needsOther && (
          <Form.Item
            name="otherText"
            label={t('cases.intake.otherText')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input maxLength={200} />
          </Form.Item>
        )}
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} size="large" data-testid="intake-submit">
            {t('cases.intake.submit')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}

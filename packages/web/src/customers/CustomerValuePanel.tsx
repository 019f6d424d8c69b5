import { EditOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  InputNumber,
  Row,
  Skeleton,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CustomerValue, formatMoney, yuanToFen } from '../cases/model.ts';
import { useUser } from '../identity/session.tsx';
import { api, request } from '../shell/api.ts';
import { EChart } from '../shell/EChart.tsx';
import { FormModal } from '../shell/FormModal.tsx';
import { useAsync } from '../shell/hooks.ts';

interface ValueForm {
  deposits: number;
  investments: number;
  loans: number;
  annualProfit: number;
  expectedYears: number;
  asOf: Dayjs;
}

/** The customer's value (holdings summary, AUM band, profit contribution); editable with customer.manage, audited. */
export function CustomerValuePanel({ customerId }: { readonly customerId: string }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const user = useUser();
  const [editing, setEditing] = useState(false);
  const value = useAsync(
    (signal) => api.get<CustomerValue | null>(`/customers/${customerId}/value`, undefined, signal),
    [customerId],
  );
  const v = value.data;
  const money = (minor: number) => formatMoney(minor, v?.currency ?? 'CNY', i18n.language);
  const fen = (yuan: number | undefined) => yuanToFen(yuan ?? 0) ?? 0;
  const signedFen = (yuan: number | undefined) => Math.round((yuan ?? 0) * 100);
  return (
    <Card
      size="small"
      title={t('cases.customerValue.title')}
      style={{ marginTop: 16 }}
      data-testid="customer-value"
      extra={
        user.can('customer.manage') && (
          <Button
            size="small"
            icon={<EditOutlined />}
            onClick={() => setEditing(true)}
            data-testid="customer-value-edit"
          >
            {t('cases.customerValue.edit')}
          </Button>
        )
      }
    >
      {value.loading && <Skeleton active paragraph={{ rows: 2 }} />}
      {!value.loading && !v && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cases.customerValue.none')} />
      )}
      {v && (
        <Row gutter={12} align="middle">
          <Col span={14}>
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('cases.customerValue.aum')}>
                <strong>{money(v.aumMinor)}</strong>
              </Descriptions.Item>
              <Descriptions.Item label={t('cases.customerValue.aumBand')}>
                <span data-testid="customer-aum-band">{t(`cases.aumBand.${v.aumBand}`)}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('cases.customerValue.loans')}>
                {money(v.loansMinor)}
              </Descriptions.Item>
              <Descriptions.Item label={t('cases.customerValue.annualProfit')}>
                {money(v.annualProfitMinor)}
              </Descriptions.Item>
              <Descriptions.Item label={t('cases.customerValue.expectedYears')}>
                {t('cases.ops.economics.years', { count: v.expectedYears })}
              </Descriptions.Item>
              <Descriptions.Item label={t('cases.customerValue.asOf')}>{v.asOf}</Descriptions.Item>
            </Descriptions>
          </Col>
          <Col span={10}>
            <EChart
              label={t('cases.customerValue.aum')}
              height={150}
              option={{
                tooltip: { trigger: 'item' },
                series: [
                  {
                    type: 'pie',
                    radius: ['45%', '75%'],
                    label: { show: false },
                    data: [
                      { name: t('cases.customerValue.deposits'), value: v.depositsMinor / 100 },
                      { name: t('cases.customerValue.investments'), value: v.investmentsMinor / 100 },
                    ],
                    color: ['#b1272d', '#d4a017'],
                  },
                ],
              }}
            />
          </Col>
        </Row>
      )}
      <FormModal<ValueForm>
        open={editing}
        title={t('cases.customerValue.edit')}
        onCancel={() => setEditing(false)}
        testId="customer-value-modal"
        initialValues={
          v
            ? {
                deposits: v.depositsMinor / 100,
                investments: v.investmentsMinor / 100,
                loans: v.loansMinor / 100,
                annualProfit: v.annualProfitMinor / 100,
                expectedYears: v.expectedYears,
                asOf: dayjs(v.asOf),
              }
            : { deposits: 0, investments: 0, loans: 0, annualProfit: 0, expectedYears: 3, asOf: dayjs() }
        }
        onSubmit={async (f) => {
          await request<CustomerValue>('PUT', `/customers/${customerId}/value`, {
            json: {
              depositsMinor: fen(f.deposits),
              investmentsMinor: fen(f.investments),
              loansMinor: fen(f.loans),
              annualProfitMinor: signedFen(f.annualProfit),
              expectedYears: f.expectedYears,
              asOf: f.asOf.format('YYYY-MM-DD'),
            },
          });
          setEditing(false);
          void message.success(t('cases.customerValue.saved'));
          value.reload();
        }}
      >
        {(['deposits', 'investments', 'loans'] as const).map((k) => (
          <Form.Item key={k} name={k} label={t(`cases.customerValue.${k}`)} rules={[{ required: true }]}>
            <InputNumber<number> min={0} precision={2} prefix="¥" style={{ width: '100%' }} />
          </Form.Item>
        ))}
        <Form.Item
          name="annualProfit"
          label={t('cases.customerValue.annualProfit')}
          rules={[{ required: true }]}
        >
          <InputNumber<number> precision={2} prefix="¥" style={{ width: '100%' }} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item
              name="expectedYears"
              label={t('cases.customerValue.expectedYears')}
              rules={[{ required: true }]}
            >
              <InputNumber<number> min={1} max={50} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="asOf" label={t('cases.customerValue.asOf')} rules={[{ required: true }]}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      </FormModal>
    </Card>
  );
}

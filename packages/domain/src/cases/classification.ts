import { z } from 'zod';
import { JrtBusinessTypeKeys, JrtCauseKeys, JrtChannelKeys } from './keys.ts';

export { JrtBusinessTypeKeys, JrtCauseKeys, JrtChannelKeys };

/**
 * The three axes of JR/T 0169-2018 (金融消费者投诉统计分类及编码 银行业金融机构): the channel
 * through which the complained-of business was handled, the business type, and the cause; each
 * with "other". Keys are ours (stable, English); the standard's numeric codes are not reproduced
 * here, so exports map keys to the regulator's codes in one table when they are needed.
 * Labels follow the standard's wording as best we know it.
 */

export interface JrtCategory<K extends string> {
  readonly key: K;
  readonly zh: string;
  readonly en: string;
  /** Parent group, for the standard's two-level channel axis. */
  readonly group?: string;
}

const cat = <K extends string>(key: K, zh: string, en: string, group?: string): JrtCategory<K> =>
  group === undefined ? { key, zh, en } : { key, zh, en, group };

export type JrtChannel = (typeof JrtChannelKeys)[number];

export const JRT_CHANNELS: readonly JrtCategory<JrtChannel>[] = [
  cat('branch_counter', '营业现场', 'Branch premises (counter)', 'front'),
  cat('self_service', '自助机具', 'Self-service machines', 'front'),
  cat('online_banking', '电子渠道—网上银行', 'Electronic: online banking', 'front'),
  cat('telephone_banking', '电子渠道—电话银行', 'Electronic: telephone banking', 'front'),
  cat('mobile_app', '电子渠道—移动客户端', 'Electronic: mobile app', 'front'),
  cat(
    'public_platform',
    '电子渠道—网络公众平台',
    'Electronic: public online platforms (WeChat, Weibo…)',
    'front',
  ),
  cat('sms', '电子渠道—短信', 'Electronic: SMS', 'front'),
  cat('electronic_other', '电子渠道—其他', 'Electronic: other', 'front'),
  cat('third_party', '第三方渠道', 'Third-party channel', 'front'),
  cat('middle_back_office', '中、后台业务渠道', 'Middle and back office', 'back'),
  cat('other', '其他', 'Other'),
];

export type JrtBusinessType = (typeof JrtBusinessTypeKeys)[number];

export const JRT_BUSINESS_TYPES: readonly JrtCategory<JrtBusinessType>[] = [
  cat('rmb_savings', '人民币储蓄', 'RMB savings and deposits'),
  cat('debit_card', '借记卡', 'Debit cards'),
  cat('credit_card', '信用卡', 'Credit cards'),
  cat('loans', '贷款', 'Loans'),
  cat('payment_settlement', '支付结算', 'Payment and settlement'),
  cat('debt_collection', '债务催收', 'Debt collection'),
  cat('foreign_exchange', '外汇', 'Foreign exchange'),
  cat('agency_business', '银行代理业务', 'Agency business (insurance, funds…)'),
  cat('own_wealth_management', '自营理财', "Bank's own wealth management products"),
  cat('other_intermediary', '其他中间业务', 'Other intermediary business'),
  cat('personal_financial_information', '个人金融信息', 'Personal financial information'),
  cat('precious_metals', '贵金属', 'Precious metals'),
  cat('rmb_cash_management', '人民币管理', 'RMB cash management'),
  cat('treasury', '国库', 'Treasury'),
  cat('other', '其他', 'Other'),
];

export type JrtCause = (typeof JrtCauseKeys)[number];

export const JRT_CAUSES: readonly JrtCategory<JrtCause>[] = [
  cat('service_attitude_quality', '服务态度及服务质量', 'Service attitude and quality'),
  cat(
    'facilities_equipment_systems',
    '服务设施、设备、业务系统',
    'Service facilities, equipment and systems',
  ),
  cat('rules_processes', '管理制度、业务规则与流程', 'Management rules, business rules and processes'),
  cat('marketing_practices', '营销方式和手段', 'Marketing methods'),
  cat('information_disclosure', '信息披露', 'Information disclosure'),
  cat('product_returns', '产品收益', 'Product returns'),
  cat('freedom_of_choice', '自主选择权', "Customer's freedom of choice"),
  cat('pricing_fees', '定价收费', 'Pricing and fees'),
  cat('contract_terms', '合同条款', 'Contract terms'),
  cat('funds_security', '消费者资金安全', "Security of the customer's funds"),
  cat('information_security', '消费者信息安全', "Security of the customer's information"),
  cat('debt_collection_practices', '债务催收方式和手段', 'Debt collection methods'),
  cat('other', '其他', 'Other'),
];

/** A classification on the three axes; any "other" needs a short description. */
export const ZJrtClassification = z
  .strictObject({
    channel: z.enum(JrtChannelKeys),
    businessType: z.enum(JrtBusinessTypeKeys),
    cause: z.enum(JrtCauseKeys),
    otherText: z.string().trim().min(1).max(200).optional(),
  })
  .refine((c) => ![c.channel, c.businessType, c.cause].includes('other') || c.otherText !== undefined, {
    message: 'describe the "other" category',
    path: ['otherText'],
  });
export type TJrtClassification = z.infer<typeof ZJrtClassification>;

export function categoryLabel<K extends string>(
  list: readonly JrtCategory<K>[],
  key: K,
  locale: 'zh' | 'en' = 'zh',
): string {
  const found = list.find((c) => c.key === key);
  return found ? found[locale] : key;
}

import { type TSlaPreset, ZSlaPreset } from './sla-schema.ts';

/**
 * Regulatory presets. They are data: an administrator may copy and edit one, and the engine
 * accepts the edited object wherever it accepts a preset name.
 */

const NFRA = '银行保险机构消费投诉处理管理办法 (原银保监会令2020年第3号)';
const CIVIL = '民法典 第201–203条 (期间计算)';

export const CN_NFRA_2020: TSlaPreset = ZSlaPreset.parse({
  name: 'cn-nfra-2020',
  label: 'China NFRA complaint rules (2020)',
  jurisdiction: 'CN',
  clocks: [
    {
      name: 'decision',
      label: 'Decision within 15 days of receipt',
      labelZh: '收到投诉之日起15日内作出处理决定',
      mode: 'calendar_days',
      amount: 15,
      rollOver: 'rest_days',
      end: 'end_of_day',
      reference: `${NFRA}; ${CIVIL}`,
    },
    {
      name: 'decision_extended',
      label: 'Complex case: decision within 30 days; a further 30 with approval and notice',
      labelZh: '情况复杂的延长至30日;经上级机构或总行高管审批并告知投诉人,可再延长30日',
      mode: 'calendar_days',
      amount: 30,
      rollOver: 'rest_days',
      end: 'end_of_day',
      extensions: [
        {
          id: 'further_30_approved',
          amount: 30,
          requiresApproval: true,
          requiresCustomerNotice: true,
          label: 'Further 30 days, approved by a superior unit or head-office senior manager',
        },
      ],
      reference: `${NFRA}; ${CIVIL}`,
    },
    {
      name: 'review_request',
      label: 'Customer may request a review within 30 days of receiving the decision',
      labelZh: '投诉人自收到处理决定之日起30日内可申请核查(复核)',
      mode: 'calendar_days',
      amount: 30,
      rollOver: 'rest_days',
      end: 'end_of_day',
      startsOn: 'decision_received',
      reference: `${NFRA}; ${CIVIL}`,
    },
    {
      name: 'review_decision',
      label: 'Review decided within 30 days of the request',
      labelZh: '收到核查申请之日起30日内作出核查决定',
      mode: 'calendar_days',
      amount: 30,
      rollOver: 'rest_days',
      end: 'end_of_day',
      startsOn: 'review_requested',
      reference: `${NFRA}; ${CIVIL}`,
    },
  ],
});

export const UK_FCA_DISP: TSlaPreset = ZSlaPreset.parse({
  name: 'uk-fca-disp',
  label: 'UK FCA DISP complaint time limits',
  jurisdiction: 'GB',
  clocks: [
    {
      name: 'summary_resolution',
      label:
        'Resolved by close of business on the 3rd business day after receipt (summary resolution communication)',
      mode: 'business_days',
      amount: 3,
      end: 'close_of_business',
      reference: 'FCA DISP 1.5, 1.6',
    },
    {
      name: 'final_response',
      label: 'Final response by the end of eight weeks after receipt',
      mode: 'weeks',
      amount: 8,
      end: 'end_of_day',
      reference: 'FCA DISP 1.6.2R',
    },
    {
      name: 'payment_final',
      label: 'Payment services: final response by the end of the 15th business day after receipt',
      mode: 'business_days',
      amount: 15,
      end: 'end_of_day',
      reference: 'FCA DISP 1.6.2AR',
    },
    {
      name: 'payment_final_exceptional',
      label: 'Payment services, exceptional cases: by the end of the 35th business day after receipt',
      mode: 'business_days',
      amount: 35,
      end: 'end_of_day',
      reference: 'FCA DISP 1.6.2AR(2)',
    },
  ],
});

export const US_CFPB: TSlaPreset = ZSlaPreset.parse({
  name: 'us-cfpb',
  label: 'US CFPB complaint portal time limits',
  jurisdiction: 'US',
  clocks: [
    {
      name: 'response',
      label: 'Company response within 15 calendar days',
      mode: 'calendar_days',
      amount: 15,
      end: 'end_of_day',
      reference: 'CFPB company portal',
    },
    {
      name: 'final_response',
      label: 'Final response within 60 calendar days',
      mode: 'calendar_days',
      amount: 60,
      end: 'end_of_day',
      reference: 'CFPB company portal',
    },
  ],
});

export const BUILT_IN_PRESETS: Readonly<Record<string, TSlaPreset>> = {
  [CN_NFRA_2020.name]: CN_NFRA_2020,
  [UK_FCA_DISP.name]: UK_FCA_DISP,
  [US_CFPB.name]: US_CFPB,
};

export const PresetNames = ['cn-nfra-2020', 'uk-fca-disp', 'us-cfpb'] as const;
export type PresetName = (typeof PresetNames)[number];

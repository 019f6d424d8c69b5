import { ClockCircleOutlined } from '@ant-design/icons';
import { Alert, Card, Descriptions, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUser } from '../identity/session.tsx';
import { OrgTreeSelect } from '../org/OrgTreeSelect.tsx';
import { useOrgScope } from '../org/scope.tsx';
import { describeError } from '../shell/api.ts';
import { formatInZone } from '../shell/format.ts';
import { useAsync } from '../shell/hooks.ts';
import {
  type CaseType,
  configApi,
  type PolicyPreview,
  ServiceLevelList,
  type Severity,
  type UnitRef,
} from './config-model.ts';
import { CaseTypeList, SeverityList } from './model.ts';

export function unitName(unit: UnitRef | null | undefined, locale: string): string {
  if (!unit) return '';
  return locale === 'en' && unit.nameEn ? unit.nameEn : unit.name;
}

/**
 * The org unit a settings page edits — the header's scope, else the user's own unit — with its
 * view loaded by `load`. `reload()` reads it again; `reloadKey` tells the page's parts to as well.
 */
export function useUnitView<T>(load: (unitId: string, signal: AbortSignal) => Promise<T>) {
  const user = useUser();
  const scope = useOrgScope();
  const [unitId, setUnitId] = useState<string>(scope.selectedId ?? user.orgUnitId);
  const [reloadKey, setReloadKey] = useState(0);
  const view = useAsync((signal) => load(unitId, signal), [unitId, reloadKey]);
  const reload = () => setReloadKey((k) => k + 1);
  return { user, unitId, setUnitId, reloadKey, reload, view };
}

/** The org unit whose settings a page shows; defaults to the user's own unit. */
export function UnitPicker({
  value,
  onChange,
  testId,
}: {
  readonly value: string;
  readonly onChange: (id: string) => void;
  readonly testId: string;
}) {
  const { t } = useTranslation();
  return (
    <span data-testid={testId}>
      <OrgTreeSelect
        value={value}
        onChange={(id) => id && onChange(id)}
        ariaLabel={t('cases.settings.unit')}
        style={{ minWidth: 240 }}
      />
    </span>
  );
}

/**
 * "A case received now would be due …": the engine's own computation for the unit's policy
 * and calendar (GET /sla/config/units/:id/preview).
 */
export function DuePreview({ unitId, reloadKey }: { readonly unitId: string; readonly reloadKey: number }) {
  const { t, i18n } = useTranslation();
  const [caseType, setCaseType] = useState<CaseType>('complaint');
  const [severity, setSeverity] = useState<Severity>('medium');
  const [serviceLevel, setServiceLevel] = useState<(typeof ServiceLevelList)[number]>('unrated');
  const preview = useAsync(
    (signal) => configApi.preview(unitId, { caseType, severity, serviceLevel }, signal),
    [unitId, caseType, severity, serviceLevel, reloadKey],
  );
  const p: PolicyPreview | undefined = preview.data;
  const zone = p?.calendar.timeZone;
  const when = (iso: string) => formatInZone(iso, i18n.language, zone, { weekday: true });
  return (
    <Card
      size="small"
      title={
        <Space>
          <ClockCircleOutlined />
          {t('cases.settings.preview.title')}
        </Space>
      }
      data-testid="due-preview"
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Select<CaseType>
          aria-label={t('cases.inbox.type')}
          value={caseType}
          onChange={setCaseType}
          options={CaseTypeList.map((x) => ({ value: x, label: t(`cases.type.${x}`) }))}
          style={{ width: 130 }}
        />
        <Select<Severity>
          aria-label={t('cases.settings.preview.severity')}
          value={severity}
          onChange={setSeverity}
          options={SeverityList.map((x) => ({ value: x, label: t(`cases.severity.${x}`) }))}
          style={{ width: 110 }}
        />
        <Select
          aria-label={t('cases.settings.preview.serviceLevel')}
          value={serviceLevel}
          onChange={setServiceLevel}
          options={ServiceLevelList.map((x) => ({ value: x, label: t(`cases.settings.serviceLevel.${x}`) }))}
          style={{ width: 110 }}
        />
      </Space>
      {preview.error !== undefined && (
        <Alert type="error" showIcon title={describeError(preview.error, t).title} />
      )}
      {p && (
        <>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {t('cases.settings.preview.intro', { time: when(p.receivedAt), calendar: p.calendar.name })}
          </Typography.Paragraph>
          <Descriptions size="small" column={1} bordered styles={{ label: { width: 130 } }}>
            {p.clocks.map((c) => (
              <Descriptions.Item
                key={c.role}
                label={
                  <Space direction="vertical" size={0}>
                    <span>{t(`cases.clockRole.${c.role as 'acknowledgement'}`)}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t(`cases.settings.mode.${c.mode as 'hours'}`, { count: c.amount })}
                    </Typography.Text>
                  </Space>
                }
              >
                <span
                  data-testid={`due-${c.role}`}
                  data-due={c.due}
                  style={{ fontVariantNumeric: 'tabular-nums' }}
                >
                  {when(c.due)}
                </span>
                {c.lastDay && (
                  <Tag bordered={false} style={{ marginLeft: 8 }}>
                    {t('cases.settings.preview.lastDay', { day: c.lastDay })}
                  </Tag>
                )}
              </Descriptions.Item>
            ))}
          </Descriptions>
        </>
      )}
    </Card>
  );
}

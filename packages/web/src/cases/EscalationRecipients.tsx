import { DeleteOutlined, PlusOutlined, UndoOutlined } from '@ant-design/icons';
import {
  DEFAULT_ESCALATION_RECIPIENTS,
  ESCALATION_ROLES,
  type EscalationLevel,
  EscalationLevels,
  type EscalationOrgLevel,
  EscalationOrgLevels,
  type EscalationRecipient,
} from '@serviceloop/domain/cases/escalation-recipients';
import { Button, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { AuthorityRoleList, type TEscalationPolicy } from './config-model.ts';

type Recipients = NonNullable<TEscalationPolicy['recipients']>;
type Recipient = Recipients['assignee'] extends (infer R)[] | undefined ? R : never;

const ASSIGNEE = 'assignee';

function toStored(r: EscalationRecipient): Recipient {
  return r.kind === 'assignee' ? { kind: 'assignee' } : { kind: 'role', role: r.role, at: [...r.at] };
}

/**
 * Who each level of the escalation chain reaches — the case's assignee, or a role at the case's
 * unit, its branch, its region or head office. A level left alone reaches its default (the chain
 * as the engine always ran it); warnings, breaches and escalations all follow this table.
 */
export function EscalationRecipientsEditor({
  policy,
  editable,
  onChange,
}: {
  readonly policy: TEscalationPolicy;
  readonly editable: boolean;
  readonly onChange: (p: TEscalationPolicy) => void;
}) {
  const { t } = useTranslation();
  const listOf = (level: EscalationLevel): readonly EscalationRecipient[] =>
    policy.recipients?.[level] ?? DEFAULT_ESCALATION_RECIPIENTS[level];
  const setLevel = (level: EscalationLevel, list: readonly EscalationRecipient[] | undefined) => {
    const next: Recipients = { ...policy.recipients };
    if (list) next[level] = list.map(toStored);
    else delete next[level];
    const { recipients: _old, ...rest } = policy;
    onChange(Object.keys(next).length > 0 ? { ...rest, recipients: next } : rest);
  };
  const update = (level: EscalationLevel, index: number, r: EscalationRecipient) =>
    setLevel(
      level,
      listOf(level).map((x, i) => (i === index ? r : x)),
    );
  const orgLevelOptions = EscalationOrgLevels.map((l) => ({
    value: l,
    label: t(`cases.settings.orgLevel.${l}`),
  }));
  const whoOptions = (level: EscalationLevel, current: string) => [
    { value: ASSIGNEE, label: t('cases.settings.assigneeWho') },
    ...AuthorityRoleList.filter(
      (r) => level === 'assignee' || ESCALATION_ROLES.includes(r) || r === current,
    ).map((r) => ({ value: r, label: t(`role.${r}`) })),
  ];
  const used = (level: EscalationLevel) =>
    new Set(listOf(level).map((r) => (r.kind === 'assignee' ? ASSIGNEE : r.role)));

  return (
    <Space direction="vertical" size={8} style={{ width: '100%' }}>
      <Typography.Text strong>{t('cases.settings.recipientsTitle')}</Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('cases.settings.recipientsHint')}
      </Typography.Text>
      <Table
        size="small"
        pagination={false}
        rowKey={(level) => level}
        dataSource={[...EscalationLevels]}
        data-testid="escalation-recipients"
        columns={[
          {
            title: t('cases.settings.levelName'),
            width: 190,
            render: (_, level) => (
              <Space direction="vertical" size={2}>
                <span>{t(`cases.level.${level}`)}</span>
                {policy.recipients?.[level] ? (
                  <Tag color="blue" data-testid={`recipients-custom-${level}`}>
                    {t('cases.settings.recipientsCustom')}
                  </Tag>
                ) : (
                  <Tag>{t('cases.settings.recipientsDefault')}</Tag>
                )}
              </Space>
            ),
          },
          {
            title: t('cases.settings.recipients'),
            render: (_, level) => (
              <Space direction="vertical" size={6} style={{ width: '100%' }}>
                {listOf(level).map((r, i) => {
                  const who = r.kind === 'assignee' ? ASSIGNEE : r.role;
                  return (
                    // biome-ignore lint/suspicious/noArrayIndexKey: entries are positional; two may name the same role until the check says so
                    <Space key={i} wrap size={6}>
                      <Select
                        size="small"
                        aria-label={`${t(`cases.level.${level}`)} ${t('cases.settings.who')} ${i + 1}`}
                        data-testid={`recipients-${level}-${i}-who`}
                        disabled={!editable}
                        value={who}
                        options={whoOptions(level, who)}
                        onChange={(v: string) =>
                          update(
                            level,
                            i,
                            v === ASSIGNEE
                              ? { kind: 'assignee' }
                              : {
                                  kind: 'role',
                                  role: v as (typeof AuthorityRoleList)[number],
                                  at: r.kind === 'role' ? r.at : ['case_unit'],
                                },
                          )
                        }
                        style={{ width: 150 }}
                      />
                      {r.kind === 'role' ? (
                        <Select<EscalationOrgLevel[]>
                          size="small"
                          mode="multiple"
                          aria-label={`${t(`cases.level.${level}`)} ${t('cases.settings.at')} ${i + 1}`}
                          data-testid={`recipients-${level}-${i}-at`}
                          disabled={!editable}
                          value={[...r.at]}
                          options={orgLevelOptions}
                          onChange={(v) =>
                            v.length > 0 &&
                            update(level, i, {
                              ...r,
                              at: EscalationOrgLevels.filter((l) => v.includes(l)),
                            })
                          }
                          style={{ minWidth: 220 }}
                        />
                      ) : (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t('cases.settings.assigneeHint')}
                        </Typography.Text>
                      )}
                      {editable && listOf(level).length > 1 && (
                        <Button
                          size="small"
                          aria-label={t('cases.settings.removeRecipient')}
                          icon={<DeleteOutlined />}
                          onClick={() =>
                            setLevel(
                              level,
                              listOf(level).filter((_x, j) => j !== i),
                            )
                          }
                        />
                      )}
                    </Space>
                  );
                })}
              </Space>
            ),
          },
          {
            title: '',
            width: 210,
            render: (_, level) =>
              editable && (
                <Space size={4} wrap>
                  <Button
                    size="small"
                    type="link"
                    icon={<PlusOutlined />}
                    data-testid={`recipients-add-${level}`}
                    disabled={ESCALATION_ROLES.every((r) => used(level).has(r))}
                    onClick={() => {
                      const role = ESCALATION_ROLES.find((r) => !used(level).has(r));
                      if (role) setLevel(level, [...listOf(level), { kind: 'role', role, at: ['branch'] }]);
                    }}
                  >
                    {t('cases.settings.addRecipient')}
                  </Button>
                  {policy.recipients?.[level] && (
                    <Button
                      size="small"
                      type="link"
                      icon={<UndoOutlined />}
                      data-testid={`recipients-reset-${level}`}
                      onClick={() => setLevel(level, undefined)}
                    >
                      {t('cases.settings.recipientsReset')}
                    </Button>
                  )}
                </Space>
              ),
          },
        ]}
      />
    </Space>
  );
}

import { DeleteOutlined, DownloadOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useUser } from '../identity/session.tsx';
import { useOrgScope } from '../org/scope.tsx';
import { api, buildUrl } from '../shell/api.ts';
import { useAsync } from '../shell/hooks.ts';
import { ZonedTime } from '../shell/ZonedTime.tsx';
import {
  type Approval,
  type CaseListItem,
  type CaseState,
  CaseStateList,
  type CaseType,
  CaseTypeList,
  formatMoney,
  labelOf,
  type Risk,
  RiskList,
  type SlaAlert,
} from './model.ts';
import { Countdown, RiskTag, useNow } from './ui.tsx';

export interface InboxFilters {
  readonly q?: string;
  readonly state?: CaseState;
  readonly type?: CaseType;
  readonly risk?: Risk;
  readonly assignee?: 'me';
  readonly open?: boolean;
}

interface SavedView {
  readonly name: string;
  readonly filters: InboxFilters;
}

const viewsKey = (userId: string) => `serviceloop.cases.views.${userId}`;

function loadViews(userId: string): SavedView[] {
  try {
    const raw: unknown = JSON.parse(window.localStorage.getItem(viewsKey(userId)) ?? '[]');
    return Array.isArray(raw)
      ? raw.filter(
          (v): v is SavedView =>
            typeof v === 'object' && v !== null && typeof (v as SavedView).name === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

function storeViews(userId: string, views: readonly SavedView[]): void {
  try {
    window.localStorage.setItem(viewsKey(userId), JSON.stringify(views));
  } catch {
    // Private mode: views last for this page only.
  }
}

/** The list's filters as query parameters: the same for the table and its spreadsheet export. */
function listQuery(filters: InboxFilters, orgUnitId: string | undefined) {
  return {
    orgUnitId,
    q: filters.q || undefined,
    state: filters.state,
    type: filters.type,
    risk: filters.risk,
    assigneeId: filters.assignee,
    open: filters.open === undefined ? undefined : String(filters.open),
    sort: 'due',
  };
}

function useCaseList(filters: InboxFilters, page: number, pageSize: number) {
  const scope = useOrgScope();
  return useAsync(
    (signal) =>
      api.get<{ items: CaseListItem[]; total: number }>(
        '/cases',
        { ...listQuery(filters, scope.selectedId), page, pageSize },
        signal,
      ),
    [scope.selectedId, JSON.stringify(filters), page, pageSize],
  );
}

/** The case table, with row selection by keyboard (J/K, arrows, Enter). */
function CaseTable({
  items,
  loading,
  total,
  page,
  pageSize,
  onPage,
  keyboard,
  testId,
}: {
  readonly items: readonly CaseListItem[];
  readonly loading: boolean;
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly onPage: (page: number, pageSize: number) => void;
  readonly keyboard: boolean;
  readonly testId: string;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const now = useNow(15_000);
  const [cursor, setCursor] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new page of cases starts at its first row
  useEffect(() => setCursor(0), [items]);

  useEffect(() => {
    if (!keyboard) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) {
        return;
      }
      if (e.key === 'j' || e.key === 'ArrowDown') {
        setCursor((c) => Math.min(c + 1, Math.max(items.length - 1, 0)));
        e.preventDefault();
      } else if (e.key === 'k' || e.key === 'ArrowUp') {
        setCursor((c) => Math.max(c - 1, 0));
        e.preventDefault();
      } else if (e.key === 'Enter') {
        const item = items[cursor];
        if (item) navigate(`/cases/${item.id}`);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keyboard, items, cursor, navigate]);

  const columns: ColumnsType<CaseListItem> = [
    {
      title: t('cases.inbox.number'),
      dataIndex: 'number',
      width: 160,
      render: (v: string, c) => (
        <Link to={`/cases/${c.id}`} className="sl-mono" data-testid="case-link">
          {v}
        </Link>
      ),
    },
    {
      title: t('cases.inbox.subject'),
      dataIndex: 'subject',
      width: 280,
      render: (v: string, c) => (
        <Space direction="vertical" size={0}>
          <span>{v}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`cases.type.${c.type}`)} · {t(`cases.channel.${c.channel}`)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('cases.inbox.state'),
      dataIndex: 'state',
      width: 110,
      render: (v: CaseState) => <Tag>{t(`cases.state.${v}`)}</Tag>,
    },
    {
      title: t('cases.inbox.risk'),
      dataIndex: 'risk',
      width: 90,
      render: (v: Risk) => <RiskTag risk={v} />,
    },
    {
      title: t('cases.inbox.countdown'),
      dataIndex: 'nextDueAt',
      width: 150,
      render: (v: string | null, c) => (
        <Countdown dueAt={v} risk={c.risk} now={now} testId="case-countdown" />
      ),
    },
    {
      title: t('cases.inbox.due'),
      dataIndex: 'nextDueAt',
      width: 170,
      render: (v: string | null, c) =>
        v ? <ZonedTime iso={v} timeZone={c.orgUnitTimeZone} testId="case-due-at" /> : t('common.none'),
    },
    {
      title: t('cases.inbox.unit'),
      dataIndex: 'orgUnitName',
      width: 130,
    },
    {
      title: t('cases.inbox.assignee'),
      dataIndex: 'assigneeName',
      width: 110,
      render: (v: string | null) => v ?? t('common.none'),
    },
    {
      title: t('cases.inbox.compensation'),
      dataIndex: 'compensationMinor',
      width: 110,
      align: 'right',
      render: (v: number, c) => (v > 0 ? formatMoney(v, c.currency, i18n.language) : t('common.none')),
    },
  ];

  return (
    <Table<CaseListItem>
      data-testid={testId}
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={[...items]}
      loading={loading}
      rowClassName={(_, index) => (keyboard && index === cursor ? 'sl-case-cursor' : '')}
      onRow={(record, index) => ({
        'data-risk': record.risk,
        'data-number': record.number,
        'aria-selected': keyboard && index === cursor,
        onClick: () => setCursor(index ?? 0),
        onDoubleClick: () => navigate(`/cases/${record.id}`),
        style: keyboard && index === cursor ? { outline: '2px solid #b1272d', outlineOffset: -2 } : undefined,
      })}
      pagination={{
        current: page,
        pageSize,
        total,
        showSizeChanger: true,
        showTotal: (n) => t('common.total', { total: n }),
        onChange: onPage,
      }}
      scroll={{ x: 1400 }}
    />
  );
}

export function InboxPage() {
  const { t, i18n } = useTranslation();
  const scope = useOrgScope();
  const { message } = App.useApp();
  const user = useUser();
  const [filters, setFilters] = useState<InboxFilters>({ open: true });
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [views, setViews] = useState<SavedView[]>(() => loadViews(user.userId));
  const [naming, setNaming] = useState<string | undefined>(undefined);
  const list = useCaseList(filters, page, pageSize);

  const update = useCallback((patch: Partial<InboxFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  }, []);

  const saveView = () => {
    const name = naming?.trim();
    if (!name) return;
    const next = [...views.filter((v) => v.name !== name), { name, filters }];
    setViews(next);
    storeViews(user.userId, next);
    setNaming(undefined);
    message.success(t('common.saved'));
  };

  return (
    <Card
      title={t('cases.inbox.title')}
      extra={
        <Space>
          <Typography.Text type="secondary">{t('cases.inbox.keyboardHint')}</Typography.Text>
          <a
            href={buildUrl('/cases/export.xlsx', {
              ...listQuery(filters, scope.selectedId),
              locale: i18n.language === 'en' ? 'en' : 'zh-CN',
            })}
            download="case-list.xlsx"
            data-testid="inbox-export-xlsx"
          >
            <Button icon={<DownloadOutlined />}>{t('cases.ops.exportListXlsx')}</Button>
          </a>
          <Link to="/cases/new">
            <Button type="primary" icon={<PlusOutlined />}>
              {t('cases.nav.intake')}
            </Button>
          </Link>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('cases.inbox.search')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onSearch={(v) => update({ q: v.trim() || undefined })}
          style={{ width: 220 }}
          data-testid="inbox-search"
        />
        <Select<CaseState>
          allowClear
          placeholder={t('cases.inbox.state')}
          value={filters.state}
          onChange={(v) => update({ state: v })}
          options={CaseStateList.map((s) => ({ value: s, label: t(`cases.state.${s}`) }))}
          style={{ width: 130 }}
          data-testid="filter-state"
        />
        <Select<CaseType>
          allowClear
          placeholder={t('cases.inbox.type')}
          value={filters.type}
          onChange={(v) => update({ type: v })}
          options={CaseTypeList.map((s) => ({ value: s, label: t(`cases.type.${s}`) }))}
          style={{ width: 140 }}
        />
        <Select<Risk>
          allowClear
          placeholder={t('cases.inbox.risk')}
          value={filters.risk}
          onChange={(v) => update({ risk: v })}
          options={RiskList.map((s) => ({ value: s, label: t(`cases.risk.${s}`) }))}
          style={{ width: 120 }}
          data-testid="filter-risk"
        />
        <Select<'me' | 'all'>
          value={filters.assignee ?? 'all'}
          onChange={(v) => update({ assignee: v === 'me' ? 'me' : undefined })}
          options={[
            { value: 'all', label: `${t('cases.inbox.assignee')}: ${t('cases.inbox.anyone')}` },
            { value: 'me', label: `${t('cases.inbox.assignee')}: ${t('cases.inbox.mine')}` },
          ]}
          style={{ width: 150 }}
        />
        <Space size={4}>
          <Switch
            size="small"
            checked={filters.open === true}
            onChange={(v) => update({ open: v ? true : undefined })}
          />
          <span>{t('cases.inbox.openOnly')}</span>
        </Space>
        <Select<string>
          allowClear
          placeholder={t('cases.inbox.views')}
          value={null}
          onChange={(name) => {
            const view = views.find((v) => v.name === name);
            if (view) {
              setFilters(view.filters);
              setQ(view.filters.q ?? '');
              setPage(1);
            }
          }}
          options={views.map((v) => ({ value: v.name, label: v.name }))}
          style={{ width: 150 }}
          data-testid="saved-views"
          optionRender={(o) => (
            <Space style={{ width: '100%', justifyContent: 'space-between' }}>
              <span>{o.label}</span>
              <DeleteOutlined
                aria-label={t('cases.inbox.deleteView')}
                onClick={(e) => {
                  e.stopPropagation();
                  const next = views.filter((v) => v.name !== o.value);
                  setViews(next);
                  storeViews(user.userId, next);
                }}
              />
            </Space>
          )}
        />
        <Button icon={<SaveOutlined />} onClick={() => setNaming('')} data-testid="save-view">
          {t('cases.inbox.saveView')}
        </Button>
      </Space>
      <CaseTable
        testId="case-table"
        items={list.data?.items ?? []}
        loading={list.loading}
        total={list.data?.total ?? 0}
        page={page}
        pageSize={pageSize}
        onPage={(p, s) => {
          setPage(p);
          setPageSize(s);
        }}
        keyboard
      />
      <Modal
        open={naming !== undefined}
        title={t('cases.inbox.saveView')}
        onOk={saveView}
        onCancel={() => setNaming(undefined)}
        okButtonProps={{ disabled: !naming?.trim() }}
      >
        <Input
          autoFocus
          placeholder={t('cases.inbox.viewName')}
          value={naming ?? ''}
          onChange={(e) => setNaming(e.target.value)}
          onPressEnter={saveView}
          maxLength={40}
          data-testid="view-name"
        />
      </Modal>
    </Card>
  );
}

/** Supervisor view: breached and warning cases in scope, and compensation waiting for approval. */
export function SupervisorPage() {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const scope = useOrgScope();
  const now = useNow(15_000);
  const [pages, setPages] = useState({ breached: 1, warning: 1 });
  const breached = useCaseList({ risk: 'breached', open: true }, pages.breached, 10);
  const warning = useCaseList({ risk: 'warning', open: true }, pages.warning, 10);
  const canApprove = user.can('case.approve');
  const approvals = useAsync(
    (signal) =>
      canApprove
        ? api.get<Approval[]>(
            '/cases/approvals',
            { orgUnitId: scope.selectedId, status: 'pending_approval' },
            signal,
          )
        : Promise.resolve([]),
    [scope.selectedId, canApprove],
  );

  const alerts = useAsync(
    (signal) => api.get<SlaAlert[]>('/cases/alerts', { orgUnitId: scope.selectedId, limit: 50 }, signal),
    [scope.selectedId],
  );

  const stats = useMemo(
    () => [
      { key: 'breaches', value: breached.data?.total, colour: '#cf1322' },
      { key: 'warnings', value: warning.data?.total, colour: '#d48806' },
    ],
    [breached.data, warning.data],
  );

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Row gutter={16}>
        {stats.map((s) => (
          <Col key={s.key} xs={12} md={6}>
            <Card>
              <Statistic
                title={t(`cases.inbox.${s.key === 'breaches' ? 'breaches' : 'warnings'}`)}
                value={s.value ?? 0}
                valueStyle={{ color: s.colour }}
                loading={s.value === undefined}
                data-testid={`supervisor-${s.key}`}
              />
            </Card>
          </Col>
        ))}
        {canApprove && (
          <Col xs={12} md={6}>
            <Card>
              <Statistic
                title={t('cases.inbox.approvals')}
                value={approvals.data?.length ?? 0}
                loading={approvals.loading}
              />
            </Card>
          </Col>
        )}
      </Row>
      <Card title={<span style={{ color: '#cf1322' }}>{t('cases.inbox.breaches')}</span>}>
        <CaseTable
          testId="supervisor-breached"
          items={breached.data?.items ?? []}
          loading={breached.loading}
          total={breached.data?.total ?? 0}
          page={pages.breached}
          pageSize={10}
          onPage={(p) => setPages((x) => ({ ...x, breached: p }))}
          keyboard={false}
        />
      </Card>
      <Card title={<span style={{ color: '#d48806' }}>{t('cases.inbox.warnings')}</span>}>
        <CaseTable
          testId="supervisor-warning"
          items={warning.data?.items ?? []}
          loading={warning.loading}
          total={warning.data?.total ?? 0}
          page={pages.warning}
          pageSize={10}
          onPage={(p) => setPages((x) => ({ ...x, warning: p }))}
          keyboard={false}
        />
      </Card>
      <Card title={t('cases.inbox.alerts')}>
        <Table<SlaAlert>
          data-testid="supervisor-alerts"
          rowKey="key"
          size="small"
          loading={alerts.loading}
          dataSource={alerts.data ?? []}
          locale={{ emptyText: t('cases.inbox.alertsEmpty') }}
          pagination={{ pageSize: 10 }}
          onRow={(a) => ({ 'data-kind': a.kind, className: `sl-alert-${a.kind}` })}
          columns={[
            {
              title: t('cases.inbox.firedAt'),
              dataIndex: 'firedAt',
              width: 180,
              render: (v: string, a) => <ZonedTime iso={v} timeZone={a.orgUnitTimeZone} />,
            },
            {
              title: t('cases.inbox.risk'),
              dataIndex: 'kind',
              width: 110,
              render: (v: SlaAlert['kind']) => (
                <Tag color={v === 'warning' ? 'orange' : 'red'}>
                  {labelOf(
                    'event',
                    v === 'breach' ? 'case.breached' : v === 'warning' ? 'case.warning' : 'case.escalated',
                  )}
                </Tag>
              ),
            },
            {
              title: t('cases.inbox.number'),
              dataIndex: 'caseNumber',
              width: 160,
              render: (v: string, a) => <Link to={`/cases/${a.caseId}`}>{v}</Link>,
            },
            { title: t('cases.inbox.subject'), dataIndex: 'subject' },
            {
              title: t('cases.case.clock'),
              dataIndex: 'clock',
              width: 110,
              render: (v: string) => labelOf('clockRole', v),
            },
            {
              title: t('cases.inbox.levels'),
              dataIndex: 'levels',
              render: (v: readonly string[]) => v.map((l) => labelOf('level', l)).join('、'),
            },
            {
              title: t('cases.inbox.state'),
              dataIndex: 'caseState',
              width: 110,
              render: (v: string) => labelOf('state', v),
            },
          ]}
        />
      </Card>
      {canApprove && (
        <Card title={t('cases.inbox.approvals')}>
          <Table<Approval>
            data-testid="approvals-table"
            rowKey="id"
            size="middle"
            loading={approvals.loading}
            dataSource={approvals.data ?? []}
            locale={{ emptyText: t('cases.inbox.approvalsEmpty') }}
            pagination={false}
            columns={[
              {
                title: t('cases.inbox.number'),
                dataIndex: 'caseNumber',
                render: (v: string, a) => <Link to={`/cases/${a.caseId}`}>{v}</Link>,
              },
              {
                title: t('cases.case.amount'),
                dataIndex: 'amount',
                render: (_, a) => formatMoney(a.amount.amountMinor, a.amount.currency, i18n.language),
              },
              { title: t('cases.case.reason'), dataIndex: 'reason' },
              {
                title: t('cases.inbox.approvalDue'),
                dataIndex: 'approvalDueAt',
                render: (v: string | null) => (
                  <Countdown
                    dueAt={v}
                    risk={v && new Date(v).getTime() <= now ? 'breached' : 'ok'}
                    now={now}
                  />
                ),
              },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}

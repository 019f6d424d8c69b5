import { CloudUploadOutlined, DownloadOutlined, FileTextOutlined, ReloadOutlined } from '@ant-design/icons';
import { VISIT_LOG_COLUMNS } from '@serviceloop/domain';
import { Alert, App, Button, Card, DatePicker, Progress, Space, Steps, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useUser } from '../identity/session.tsx';
import { ApiError, api, buildUrl, describeError } from '../shell/api.ts';
import type { ImportJob } from '../shell/types.ts';
import { useQueueBranch } from './branch.tsx';

const statusColour: Record<ImportJob['status'], string> = {
  running: 'processing',
  validated: 'success',
  imported: 'success',
  rejected: 'error',
  failed: 'error',
};

function dataRows(csv: string): number {
  return Math.max(0, csv.split(/\r?\n/).filter((line) => line.trim() !== '').length - 1);
}

/** Saves a response body as a file; a refusal (problem+json) becomes an ApiError instead. */
async function download(url: string, fallbackName: string): Promise<void> {
  const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'text/csv' } });
  if (!response.ok) {
    let detail = response.statusText;
    let code = 'unknown';
    try {
      const problem = (await response.json()) as { detail?: unknown; code?: unknown };
      if (typeof problem.detail === 'string') detail = problem.detail;
      if (typeof problem.code === 'string') code = problem.code;
    } catch {
      // not JSON: keep the status text
    }
    throw new ApiError(response.status, code, detail);
  }
  const name =
    /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const href = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(href);
}

/**
 * Visit records of a branch: export finished visits of a period in the visit-log CSV format, and
 * import history in the same format (check first, then import, with a progress bar and the
 * rejected rows). Same shape as the customer import.
 */
export function VisitRecordsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const user = useUser();
  const { branchId, picker } = useQueueBranch();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs(), dayjs()]);
  const [exporting, setExporting] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<{ name: string; csv: string } | undefined>(undefined);
  const [job, setJob] = useState<ImportJob | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; detail?: string } | undefined>(undefined);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  const exportCsv = async () => {
    if (!branchId) return;
    const from = range[0].format('YYYY-MM-DD');
    const to = range[1].format('YYYY-MM-DD');
    setExporting(true);
    try {
      await download(buildUrl(`/branches/${branchId}/visits.csv`, { from, to }), `visits-${from}-${to}.csv`);
    } catch (e) {
      const d = describeError(e, t);
      void message.error(`${t('queue.visits.exportFailed')}: ${d.detail ?? d.title}`);
    } finally {
      setExporting(false);
    }
  };

  const choose = async (chosen: File | undefined) => {
    setJob(undefined);
    setError(undefined);
    if (!chosen) return;
    setFile({ name: chosen.name, csv: await chosen.text() });
  };

  const start = async (dryRun: boolean) => {
    if (!file || !branchId) return;
    setBusy(true);
    setError(undefined);
    setJob(undefined);
    try {
      const { id } = await api.postCsv<{ id: string }>(`/branches/${branchId}/visit-imports`, file.csv, {
        dryRun: String(dryRun),
        fileName: file.name,
      });
      // Poll until the job leaves `running`; the progress bar follows processed/total.
      for (;;) {
        const current = await api.get<ImportJob>(`/branches/${branchId}/visit-imports/${id}`);
        if (!alive.current) return;
        setJob(current);
        if (current.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 300));
      }
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      if (alive.current) setBusy(false);
    }
  };

  if (!branchId) return <Card title={t('queue.visits.title')}>{t('queue.noBranch')}</Card>;

  const step = !file ? 0 : job?.status === 'imported' ? 3 : job?.status === 'validated' && job.dryRun ? 2 : 1;
  const percent =
    job && job.total > 0
      ? Math.round((job.processed / job.total) * 100)
      : job?.status === 'running'
        ? 0
        : 100;
  const importable = job?.status === 'validated' && job.dryRun && job.accepted > 0;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <DownloadOutlined />
            {t('queue.visits.exportTitle')}
          </Space>
        }
        extra={picker}
      >
        <Typography.Paragraph type="secondary">{t('queue.visits.exportIntro')}</Typography.Paragraph>
        <Space wrap>
          <DatePicker.RangePicker
            aria-label={t('queue.visits.range')}
            allowClear={false}
            value={range}
            disabledDate={(d: Dayjs) => d.isAfter(dayjs(), 'day')}
            onChange={(v) => {
              if (v?.[0] && v[1]) setRange([v[0], v[1]]);
            }}
            data-testid="visits-range"
          />
          <Button
            type="primary"
            icon={<DownloadOutlined />}
            loading={exporting}
            onClick={() => void exportCsv()}
            data-testid="visits-export"
          >
            {t('queue.visits.download')}
          </Button>
        </Space>
      </Card>

      {user.can('queue.manage') && (
        <Card
          title={
            <Space>
              <CloudUploadOutlined />
              {t('queue.visits.importTitle')}
            </Space>
          }
        >
          <Steps
            current={step}
            style={{ marginBottom: 24, maxWidth: 720 }}
            items={[{ title: t('import.step1') }, { title: t('import.step2') }, { title: t('import.step3') }]}
          />
          <Typography.Paragraph>{t('queue.visits.importIntro')}</Typography.Paragraph>
          <Typography.Paragraph type="secondary">
            {t('queue.visits.columns')}{' '}
            <Typography.Text code copyable>
              {VISIT_LOG_COLUMNS.join(',')}
            </Typography.Text>
          </Typography.Paragraph>
          <Space wrap style={{ marginBottom: 16 }}>
            <input
              ref={fileInput}
              type="file"
              accept=".csv,text/csv"
              hidden
              data-testid="visits-file"
              onChange={(e) => {
                void choose(e.target.files?.[0]);
                e.target.value = '';
              }}
            />
            <Button icon={<FileTextOutlined />} onClick={() => fileInput.current?.click()} disabled={busy}>
              {file ? t('import.again') : t('import.chooseFile')}
            </Button>
            <Button
              type={importable ? 'default' : 'primary'}
              icon={<ReloadOutlined />}
              disabled={!file || busy}
              onClick={() => void start(true)}
              data-testid="visits-dry-run"
            >
              {t('import.dryRun')}
            </Button>
            <Button
              type="primary"
              icon={<CloudUploadOutlined />}
              disabled={!file || busy || !importable}
              onClick={() => void start(false)}
              data-testid="visits-import"
            >
              {t('import.run')}
            </Button>
          </Space>
          {file && (
            <Typography.Paragraph data-testid="visits-file-name">
              {t('import.fileChosen', { name: file.name, rows: dataRows(file.csv) })}
            </Typography.Paragraph>
          )}
          {error && (
            <Alert
              type="error"
              showIcon
              title={error.title}
              description={error.detail}
              style={{ marginBottom: 16 }}
            />
          )}
          {job && (
            <div data-testid="visits-job">
              <Space style={{ marginBottom: 8 }}>
                <Tag color={statusColour[job.status]} data-testid="visits-status">
                  {t(`import.status.${job.status}`)}
                </Tag>
                {job.status === 'running' && (
                  <Typography.Text type="secondary">
                    {t('import.running', { processed: job.processed, total: job.total })}
                  </Typography.Text>
                )}
              </Space>
              <Progress
                percent={percent}
                status={
                  job.status === 'running'
                    ? 'active'
                    : job.status === 'rejected' || job.status === 'failed'
                      ? 'exception'
                      : 'success'
                }
                style={{ maxWidth: 720 }}
                aria-label={t('import.step2')}
                data-testid="visits-progress"
              />
              {job.status === 'validated' && (
                <Alert
                  type={job.rejected > 0 ? 'warning' : 'success'}
                  showIcon
                  title={t('queue.visits.validated', { accepted: job.accepted, total: job.total })}
                  description={job.message ?? undefined}
                  style={{ marginTop: 12 }}
                  data-testid="visits-summary"
                />
              )}
              {job.status === 'imported' && (
                <Alert
                  type={job.rejected > 0 ? 'warning' : 'success'}
                  showIcon
                  title={t('queue.visits.imported', { accepted: job.accepted })}
                  description={job.message ?? undefined}
                  style={{ marginTop: 12 }}
                  data-testid="visits-summary"
                  action={
                    <Button size="small" onClick={() => navigate('/queue/kpi')}>
                      {t('queue.visits.viewKpis')}
                    </Button>
                  }
                />
              )}
              {(job.status === 'rejected' || job.status === 'failed') && (
                <Alert
                  type="error"
                  showIcon
                  title={t('queue.visits.fileRefused')}
                  description={job.message ?? undefined}
                  style={{ marginTop: 12 }}
                  data-testid="visits-summary"
                />
              )}
              {job.rejections.length > 0 && (
                <Table
                  style={{ marginTop: 16 }}
                  title={() => <strong>{t('queue.visits.rejectedRows', { rejected: job.rejected })}</strong>}
                  rowKey="row"
                  size="small"
                  data-testid="visits-rejections"
                  dataSource={job.rejections as ImportJob['rejections']}
                  pagination={{ pageSize: 50, hideOnSinglePage: true }}
                  columns={[
                    { title: t('import.row'), dataIndex: 'row', width: 90 },
                    {
                      title: t('import.reasons'),
                      dataIndex: 'reasons',
                      render: (reasons: readonly string[]) => (
                        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                          {reasons.map((r) => (
                            <li key={r}>{r}</li>
                          ))}
                        </ul>
                      ),
                    },
                  ]}
                />
              )}
            </div>
          )}
        </Card>
      )}
    </Space>
  );
}

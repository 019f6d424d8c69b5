import { CloudUploadOutlined, DownloadOutlined } from '@ant-design/icons';
import { VISIT_LOG_COLUMNS } from '@serviceloop/domain/queue/visit-log/columns';
import { Alert, App, Button, Card, DatePicker, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useUser } from '../identity/session.tsx';
import { ApiError, buildUrl, describeError } from '../shell/api.ts';
import { ImportPanel, importSummaryText, jobMessage } from '../shell/ImportPanel.tsx';
import { useQueueBranch } from './branch.tsx';

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

  if (!branchId) return <Card title={t('queue.visits.title')}>{t('queue.noBranch')}</Card>;

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
          <ImportPanel
            path={`/branches/${branchId}/visit-imports`}
            testIdPrefix="visits"
            intro={t('queue.visits.importIntro')}
            columnsLabel={t('queue.visits.columns')}
            columns={VISIT_LOG_COLUMNS.join(',')}
            importable={(job) => job.status === 'validated' && job.dryRun && job.accepted > 0}
            rejectionsTitle={(job) => t('queue.visits.rejectedRows', { count: job.rejected })}
            summary={(job) =>
              job.status === 'validated' ? (
                <Alert
                  type={job.rejected > 0 ? 'warning' : 'success'}
                  showIcon
                  title={t('queue.visits.validated', { accepted: job.accepted, total: job.total })}
                  description={importSummaryText(job, t)}
                  style={{ marginTop: 12 }}
                  data-testid="visits-summary"
                />
              ) : job.status === 'imported' ? (
                <Alert
                  type={job.rejected > 0 ? 'warning' : 'success'}
                  showIcon
                  title={t('queue.visits.imported', { count: job.accepted })}
                  description={importSummaryText(job, t)}
                  style={{ marginTop: 12 }}
                  data-testid="visits-summary"
                  action={
                    <Button size="small" onClick={() => navigate('/queue/kpi')}>
                      {t('queue.visits.viewKpis')}
                    </Button>
                  }
                />
              ) : (
                <Alert
                  type="error"
                  showIcon
                  title={t('queue.visits.fileRefused')}
                  description={jobMessage(job, t)}
                  style={{ marginTop: 12 }}
                  data-testid="visits-summary"
                />
              )
            }
          />
        </Card>
      )}
    </Space>
  );
}

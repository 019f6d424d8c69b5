import { CloudUploadOutlined, FileTextOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Progress, Space, Steps, Table, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, describeError } from '../shell/api.ts';
import type { ImportJob } from '../shell/types.ts';

const COLUMNS =
  'kind,name,id_type,id_number,phone,email,birth_date,tier,service_level,home_branch_code,account_manager_username,notes';

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

/** Upload → dry run (polled, with progress) → report of rejected rows → import. */
export function CustomerImportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
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

  const choose = async (chosen: File | undefined) => {
    setJob(undefined);
    setError(undefined);
    if (!chosen) return;
    setFile({ name: chosen.name, csv: await chosen.text() });
  };

  const start = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    setJob(undefined);
    try {
      const { id } = await api.postCsv<{ id: string }>('/customers/imports', file.csv, {
        dryRun: String(dryRun),
        fileName: file.name,
      });
      // Poll until the job leaves `running`; the progress bar follows processed/total.
      for (;;) {
        const current = await api.get<ImportJob>(`/customers/imports/${id}`);
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

  const step = !file ? 0 : job?.status === 'imported' ? 3 : job?.status === 'validated' && job.dryRun ? 2 : 1;
  const percent =
    job && job.total > 0
      ? Math.round((job.processed / job.total) * 100)
      : job?.status === 'running'
        ? 0
        : 100;

  return (
    <Card title={t('import.title')}>
      <Steps
        current={step}
        style={{ marginBottom: 24, maxWidth: 720 }}
        items={[{ title: t('import.step1') }, { title: t('import.step2') }, { title: t('import.step3') }]}
      />
      <Typography.Paragraph>{t('import.intro')}</Typography.Paragraph>
      <Typography.Paragraph type="secondary">
        {t('import.columns')}{' '}
        <Typography.Text code copyable>
          {COLUMNS}
        </Typography.Text>
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <input
          ref={fileInput}
          type="file"
          accept=".csv,text/csv"
          hidden
          data-testid="import-file"
          onChange={(e) => {
            void choose(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        <Button icon={<FileTextOutlined />} onClick={() => fileInput.current?.click()} disabled={busy}>
          {file ? t('import.again') : t('import.chooseFile')}
        </Button>
        <Button
          type={job?.status === 'validated' ? 'default' : 'primary'}
          icon={<ReloadOutlined />}
          disabled={!file || busy}
          onClick={() => void start(true)}
          data-testid="import-dry-run"
        >
          {t('import.dryRun')}
        </Button>
        <Button
          type="primary"
          icon={<CloudUploadOutlined />}
          disabled={!file || busy || !(job?.status === 'validated' && job.dryRun)}
          onClick={() => void start(false)}
          data-testid="import-run"
        >
          {t('import.run')}
        </Button>
      </Space>
      {file && (
        <Typography.Paragraph data-testid="import-file-name">
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
        <div data-testid="import-job">
          <Space style={{ marginBottom: 8 }}>
            <Tag color={statusColour[job.status]} data-testid="import-status">
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
          />
          {job.status === 'validated' && (
            <Alert
              type="success"
              showIcon
              title={t('import.validatedMsg', { total: job.total })}
              style={{ marginTop: 12 }}
            />
          )}
          {job.status === 'imported' && (
            <Alert
              type="success"
              showIcon
              title={t('import.importedMsg', { accepted: job.accepted })}
              style={{ marginTop: 12 }}
              action={
                <Button size="small" onClick={() => navigate('/customers')}>
                  {t('import.viewCustomers')}
                </Button>
              }
            />
          )}
          {(job.status === 'rejected' || job.status === 'failed') && (
            <Alert
              type="error"
              showIcon
              title={
                job.rejections.length > 0
                  ? t('import.rejectedMsg', { rejected: job.rejected, total: job.total })
                  : t(`import.status.${job.status}`)
              }
              description={job.rejections.length > 0 ? undefined : (job.message ?? undefined)}
              style={{ marginTop: 12 }}
              data-testid="import-rejected"
            />
          )}
          {job.rejections.length > 0 && (
            <Table
              style={{ marginTop: 16 }}
              title={() => <strong>{t('import.rejections')}</strong>}
              rowKey="row"
              size="small"
              data-testid="import-rejections"
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
  );
}

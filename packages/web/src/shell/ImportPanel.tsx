import { CloudUploadOutlined, FileTextOutlined, ReloadOutlined } from '@ant-design/icons';
import type { ImportRowReason } from '@serviceloop/domain';
import { Alert, Button, Progress, Space, Steps, Table, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from './api.ts';
import type { ImportJob } from './types.ts';

type Rejection = ImportJob['rejections'][number];

/** One rejected row's reason in the reader's language: column, what is wrong, what the file had. */
export function reasonText(reason: ImportRowReason, t: TFunction): string {
  const list = (items: readonly string[] | undefined) => (items ?? []).join(t('import.listSeparator'));
  const message = t(`import.reason.${reason.code}`, {
    format: reason.format,
    limit: reason.limit,
    allowed: list(reason.allowed),
    firstRow: reason.firstRow,
    customerNo: reason.customerNo,
    kind:
      reason.kind === 'person' || reason.kind === 'company' ? t(`customerKind.${reason.kind}`) : reason.kind,
    detail: reason.detail,
  });
  const line = t('import.reasonLine', { column: reason.column, message });
  return reason.value === undefined ? line : `${line}${t('import.reasonValue', { value: reason.value })}`;
}

/** A row's reasons as codes rendered here; a report stored before codes existed keeps its English text. */
function rowReasons(rejection: Rejection, t: TFunction): string[] {
  return rejection.codes.length > 0 ? rejection.codes.map((c) => reasonText(c, t)) : [...rejection.reasons];
}

/** The job's own message in the reader's language when the server gave it as a code. */
export function jobMessage(job: ImportJob, t: TFunction): string | undefined {
  const refusal = job.refusal;
  if (!refusal) return job.message ?? undefined;
  return t(`import.refusal.${refusal.code}`, {
    columns: (refusal.columns ?? []).join(t('import.listSeparator')),
    limit: refusal.limit,
  });
}

/**
 * What else the finished job says beyond its headline figures, in the reader's language: rows
 * already on file, rejected rows, tolerated glitches. A job stored before summaries existed keeps
 * its English message.
 */
export function importSummaryText(job: ImportJob, t: TFunction): ReactNode {
  const summary = job.summary;
  if (!summary) return job.message ?? undefined;
  const lines: string[] = [];
  if (summary.alreadyOnFile > 0)
    lines.push(t('import.summary.alreadyOnFile', { count: summary.alreadyOnFile }));
  if (summary.rejected > 0) lines.push(t('import.summary.rejected', { count: summary.rejected }));
  if (lines.length === 0 && summary.tolerated.length === 0) return undefined;
  return (
    <div data-testid="import-summary-text">
      {lines.map((line) => (
        <div key={line}>{line}</div>
      ))}
      {summary.tolerated.length > 0 && (
        <>
          <div>{t('import.summary.tolerated')}</div>
          <ul style={{ margin: 0, paddingInlineStart: 18 }}>
            {summary.tolerated.map((x) => (
              <li key={x.code} data-tolerated={x.code}>
                {t('import.summary.toleratedItem', { what: t(`import.tolerated.${x.code}`), count: x.count })}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** The status tag: a `rejected` job with a refusal is a file refused whole, not one with bad rows. */
function statusKey(job: ImportJob): ImportJob['status'] | 'refused' {
  return job.status === 'rejected' && job.refusal ? 'refused' : job.status;
}

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

const dryRunPassed = (job: ImportJob): boolean => job.status === 'validated' && job.dryRun;

export interface ImportPanelProps {
  /** Where jobs start (POST, CSV body) and are read (`${path}/${id}`). */
  readonly path: string;
  /** Prefix of the test ids: `<p>-file`, `-dry-run`, `-run`, `-file-name`, `-job`, `-status`, `-progress`, `-rejections`. */
  readonly testIdPrefix: string;
  readonly intro: ReactNode;
  readonly columnsLabel: ReactNode;
  /** The CSV header, shown to copy. */
  readonly columns: string;
  /** The outcome under the progress bar once the job has finished (status-specific alerts). */
  readonly summary: (job: ImportJob) => ReactNode;
  readonly rejectionsTitle: (job: ImportJob) => ReactNode;
  /** Whether the dry run's result may be imported (default: it passed). */
  readonly importable?: (job: ImportJob) => boolean;
}

/**
 * A CSV import in three steps — choose a file, dry run (polled, with a progress bar), import —
 * with the rejected rows as a table. The server runs the job; this only starts and follows it.
 */
export function ImportPanel({
  path,
  testIdPrefix: p,
  intro,
  columnsLabel,
  columns,
  summary,
  rejectionsTitle,
  importable = dryRunPassed,
}: ImportPanelProps) {
  const { t } = useTranslation();
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
      const { id } = await api.postCsv<{ id: string }>(path, file.csv, {
        dryRun: String(dryRun),
        fileName: file.name,
      });
      // Poll until the job leaves `running`; the progress bar follows processed/total.
      for (;;) {
        const current = await api.get<ImportJob>(`${path}/${id}`);
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

  const step = !file ? 0 : job?.status === 'imported' ? 3 : job && dryRunPassed(job) ? 2 : 1;
  const percent =
    job && job.total > 0
      ? Math.round((job.processed / job.total) * 100)
      : job?.status === 'running'
        ? 0
        : 100;
  const canImport = job !== undefined && importable(job);

  return (
    <>
      <Steps
        current={step}
        style={{ marginBottom: 24, maxWidth: 720 }}
        items={[{ title: t('import.step1') }, { title: t('import.step2') }, { title: t('import.step3') }]}
      />
      <Typography.Paragraph>{intro}</Typography.Paragraph>
      <Typography.Paragraph type="secondary">
        {columnsLabel}{' '}
        <Typography.Text code copyable>
          {columns}
        </Typography.Text>
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <input
          ref={fileInput}
          type="file"
          accept=".csv,text/csv"
          hidden
          data-testid={`${p}-file`}
          onChange={(e) => {
            void choose(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        <Button icon={<FileTextOutlined />} onClick={() => fileInput.current?.click()} disabled={busy}>
          {file ? t('import.again') : t('import.chooseFile')}
        </Button>
        <Button
          type={canImport ? 'default' : 'primary'}
          icon={<ReloadOutlined />}
          disabled={!file || busy}
          onClick={() => void start(true)}
          data-testid={`${p}-dry-run`}
        >
          {t('import.dryRun')}
        </Button>
        <Button
          type="primary"
          icon={<CloudUploadOutlined />}
          disabled={!file || busy || !canImport}
          onClick={() => void start(false)}
          data-testid={`${p}-run`}
        >
          {t('import.run')}
        </Button>
      </Space>
      {file && (
        <Typography.Paragraph data-testid={`${p}-file-name`}>
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
        <div data-testid={`${p}-job`}>
          <Space style={{ marginBottom: 8 }}>
            <Tag color={statusColour[job.status]} data-testid={`${p}-status`}>
              {t(`import.status.${statusKey(job)}`)}
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
            data-testid={`${p}-progress`}
          />
          {job.status !== 'running' && summary(job)}
          {job.rejections.length > 0 && (
            <Table
              style={{ marginTop: 16 }}
              title={() => <strong>{rejectionsTitle(job)}</strong>}
              rowKey="row"
              size="small"
              data-testid={`${p}-rejections`}
              dataSource={job.rejections as ImportJob['rejections']}
              pagination={{ pageSize: 50, hideOnSinglePage: true }}
              columns={[
                { title: t('import.row'), dataIndex: 'row', width: 90 },
                {
                  title: t('import.reasons'),
                  key: 'reasons',
                  render: (_: unknown, rejection: Rejection) => (
                    <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                      {rowReasons(rejection, t).map((r) => (
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
    </>
  );
}

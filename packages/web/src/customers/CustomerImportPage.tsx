import { Alert, Button, Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ImportPanel, jobMessage } from '../shell/ImportPanel.tsx';

const COLUMNS =
  'kind,name,id_type,id_number,phone,email,birth_date,tier,service_level,home_branch_code,account_manager_username,notes';

/** Upload → dry run (polled, with progress) → report of rejected rows → import (all or nothing). */
export function CustomerImportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Card title={t('import.title')}>
      <ImportPanel
        path="/customers/imports"
        testIdPrefix="import"
        intro={t('import.intro')}
        columnsLabel={t('import.columns')}
        columns={COLUMNS}
        rejectionsTitle={() => t('import.rejections')}
        summary={(job) =>
          job.status === 'validated' ? (
            <Alert
              type="success"
              showIcon
              title={t('import.validatedMsg', { total: job.total })}
              style={{ marginTop: 12 }}
            />
          ) : job.status === 'imported' ? (
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
          ) : (
            <Alert
              type="error"
              showIcon
              title={
                job.rejections.length > 0
                  ? t('import.rejectedMsg', { rejected: job.rejected, total: job.total })
                  : t(`import.status.${job.status}`)
              }
              description={job.rejections.length > 0 ? undefined : jobMessage(job, t)}
              style={{ marginTop: 12 }}
              data-testid="import-rejected"
            />
          )
        }
      />
    </Card>
  );
}

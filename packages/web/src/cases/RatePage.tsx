import { Alert, Button, Card, Input, Rate, Result, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError, api, describeError } from '../shell/api.ts';
import { useAsync } from '../shell/hooks.ts';
import { LanguageSwitch } from '../shell/ShellLayout.tsx';

/** The customer's rating page: public (no sign-in), mobile first, works once. */
export function RatePage() {
  const { token = '' } = useParams();
  const { t } = useTranslation();
  const link = useAsync(
    (signal) => api.get<{ caseNumber: string }>(`/ratings/${encodeURIComponent(token)}`, undefined, signal),
    [token],
  );
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const used = (e: unknown) => e instanceof ApiError && e.code === 'conflict';
  const submit = async () => {
    setSending(true);
    setError(undefined);
    try {
      await api.post(`/ratings/${encodeURIComponent(token)}`, {
        score,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      setDone(true);
    } catch (e) {
      setError(e);
    } finally {
      setSending(false);
    }
  };

  let body: React.ReactNode;
  if (link.loading) body = <Spin />;
  else if (done)
    body = (
      <Result status="success" title={<span data-testid="rate-thanks">{t('cases.rate.thanks')}</span>} />
    );
  else if (link.error !== undefined || used(error)) {
    body = (
      <Result
        status={used(link.error) || used(error) ? 'info' : 'warning'}
        title={
          <span data-testid="rate-unavailable">
            {used(link.error) || used(error) ? t('cases.rate.used') : t('cases.rate.invalid')}
          </span>
        }
      />
    );
  } else {
    body = (
      <>
        <Typography.Paragraph data-testid="rate-intro">
          {t('cases.rate.intro', { number: link.data?.caseNumber ?? '' })}
        </Typography.Paragraph>
        <div style={{ textAlign: 'center', margin: '16px 0' }}>
          <Rate
            value={score}
            onChange={setScore}
            style={{ fontSize: 40 }}
            aria-label={t('cases.rate.score')}
            data-testid="rate-stars"
          />
        </div>
        <Input.TextArea
          rows={4}
          maxLength={2000}
          placeholder={t('cases.rate.comment')}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          data-testid="rate-comment"
        />
        {error !== undefined && (
          <Alert type="error" showIcon title={describeError(error, t).title} style={{ marginTop: 12 }} />
        )}
        <Button
          type="primary"
          block
          size="large"
          style={{ marginTop: 16 }}
          disabled={score < 1}
          loading={sending}
          onClick={() => void submit()}
          data-testid="rate-submit"
        >
          {score < 1 ? t('cases.rate.required') : t('cases.rate.submit')}
        </Button>
      </>
    );
  }

  return (
    <div
      style={{
        minHeight: '100vh',
        background: '#f3f4f6',
        padding: 12,
        display: 'flex',
        justifyContent: 'center',
      }}
    >
      <Card
        title={t('cases.rate.title')}
        extra={<LanguageSwitch />}
        style={{ width: '100%', maxWidth: 480, alignSelf: 'flex-start', marginTop: 24 }}
      >
        <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 12 }}>
          {t('app.fullName')}
        </Typography.Text>
        {body}
      </Card>
    </div>
  );
}

import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { describeError } from '../shell/api.ts';
import { LanguageSwitch } from '../shell/ShellLayout.tsx';
import { useSession } from './session.tsx';

interface SignInForm {
  username: string;
  password: string;
}

export function SignInPage() {
  const { t } = useTranslation();
  const { signIn, signedOutReason } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<{ title: string; detail?: string } | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (values: SignInForm) => {
    setBusy(true);
    setError(undefined);
    try {
      await signIn(values.username.trim(), values.password);
      navigate('/', { replace: true });
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        flexDirection: 'column',
        background: 'linear-gradient(160deg, #8f1d22 0%, #b1272d 38%, #f3f4f6 38.1%)',
      }}
    >
      <div style={{ display: 'flex', justifyContent: 'space-between', padding: '16px 28px', color: '#fff' }}>
        <span style={{ fontSize: 18, fontWeight: 600, letterSpacing: 1 }}>{t('app.fullName')}</span>
        <LanguageSwitch />
      </div>
      <div style={{ flex: 1, display: 'grid', placeItems: 'center', padding: 16 }}>
        <Card style={{ width: 400, boxShadow: '0 8px 24px rgba(0,0,0,.12)' }}>
          <Typography.Title level={3} style={{ marginTop: 0, textAlign: 'center' }}>
            {t('auth.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
            {t('app.tagline')}
          </Typography.Paragraph>
          {signedOutReason === 'expired' && !error && (
            <Alert
              type="warning"
              showIcon
              title={t('auth.expired')}
              style={{ marginBottom: 16 }}
              data-testid="signin-notice"
            />
          )}
          {signedOutReason === 'signedOut' && !error && (
            <Alert
              type="success"
              showIcon
              title={t('auth.signedOut')}
              style={{ marginBottom: 16 }}
              data-testid="signin-notice"
            />
          )}
          {error && (
            <Alert
              type="error"
              showIcon
              role="alert"
              data-testid="signin-error"
              title={error.title}
              description={error.detail}
              style={{ marginBottom: 16 }}
            />
          )}
          <Form<SignInForm> layout="vertical" onFinish={submit} requiredMark={false} size="large">
            <Form.Item
              label={t('auth.username')}
              name="username"
              rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}
            >
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item
              label={t('auth.password')}
              name="password"
              rules={[{ required: true, message: t('auth.passwordRequired') }]}
            >
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('auth.signIn')}
            </Button>
          </Form>
          <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
            {t('auth.demoHint')}
          </Typography.Paragraph>
        </Card>
      </div>
      <div style={{ textAlign: 'center', color: '#999', padding: 12 }}>{t('app.footer')}</div>
    </div>
  );
}

import {
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  CalendarOutlined,
  CloudUploadOutlined,
  DesktopOutlined,
  DownOutlined,
  ExclamationCircleOutlined,
  FieldNumberOutlined,
  FormOutlined,
  GlobalOutlined,
  HistoryOutlined,
  HomeOutlined,
  InboxOutlined,
  LineChartOutlined,
  LogoutOutlined,
  NotificationOutlined,
  SearchOutlined,
  SettingOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Button, Dropdown, Layout, Menu, type MenuProps, Result, Select, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { changeLocale, type Locale, Locales } from '../i18n/index.ts';
import { useSession, useUser } from '../identity/session.tsx';
import { NotificationBell } from '../notifications/NotificationBell.tsx';
import { OrgTreeSelect } from '../org/OrgTreeSelect.tsx';
import { useOrgScope } from '../org/scope.tsx';
import { PageSuspense } from './lazy.tsx';
import type { Permission } from './types.ts';

const { Header, Sider, Content, Footer } = Layout;

interface NavItem {
  readonly key: string;
  readonly label: ReactNode;
  readonly icon: ReactNode;
  readonly permission?: Permission;
  readonly children?: readonly NavItem[];
}

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Select<Locale>
      aria-label={t('shell.language')}
      data-testid="language-switch"
      value={i18n.language === 'en' ? 'en' : 'zh-CN'}
      onChange={(locale) => void changeLocale(locale)}
      options={Locales.map((l) => ({ value: l, label: t(`language.${l}`) }))}
      suffixIcon={<GlobalOutlined />}
      style={{ width: 112 }}
    />
  );
}

export function ShellLayout() {
  const { t } = useTranslation();
  const user = useUser();
  const { signOut } = useSession();
  const scope = useOrgScope();
  const location = useLocation();
  const navigate = useNavigate();

  const nav: NavItem[] = [
    { key: '/', label: <Link to="/">{t('nav.home')}</Link>, icon: <HomeOutlined /> },
    {
      key: 'customers-group',
      label: t('nav.customers'),
      icon: <SearchOutlined />,
      children: [
        {
          key: '/customers',
          label: <Link to="/customers">{t('nav.customerList')}</Link>,
          icon: <SearchOutlined />,
          permission: 'customer.read',
        },
        {
          key: '/customers/import',
          label: <Link to="/customers/import">{t('nav.customerImport')}</Link>,
          icon: <CloudUploadOutlined />,
          permission: 'customer.import',
        },
      ],
    },
    {
      key: 'queue-group',
      label: t('queue.nav.group'),
      icon: <FieldNumberOutlined />,
      children: [
        {
          key: '/queue/teller',
          label: <Link to="/queue/teller">{t('queue.nav.teller')}</Link>,
          icon: <FieldNumberOutlined />,
          permission: 'queue.serve',
        },
        {
          key: '/queue/lobby',
          label: <Link to="/queue/lobby">{t('queue.nav.lobby')}</Link>,
          icon: <DesktopOutlined />,
          permission: 'queue.manage',
        },
        {
          key: '/queue/kpi',
          label: <Link to="/queue/kpi">{t('queue.nav.kpi')}</Link>,
          icon: <BarChartOutlined />,
          permission: 'queue.read',
        },
        {
          key: '/queue/staffing',
          label: <Link to="/queue/staffing">{t('queue.nav.staffing')}</Link>,
          icon: <TeamOutlined />,
          permission: 'queue.read',
        },
        {
          key: '/queue/notices',
          label: <Link to="/queue/notices">{t('queue.nav.notices')}</Link>,
          icon: <NotificationOutlined />,
          permission: 'queue.manage',
        },
        {
          key: '/queue/visits',
          label: <Link to="/queue/visits">{t('queue.nav.visits')}</Link>,
          icon: <HistoryOutlined />,
          permission: 'queue.read',
        },
        {
          key: '/queue/settings',
          label: <Link to="/queue/settings">{t('queue.nav.settings')}</Link>,
          icon: <SettingOutlined />,
          permission: 'queue.read',
        },
      ],
    },
    {
      key: 'cases-group',
      label: t('cases.nav.group'),
      icon: <InboxOutlined />,
      children: [
        {
          key: '/cases/new',
          label: <Link to="/cases/new">{t('cases.nav.intake')}</Link>,
          icon: <FormOutlined />,
          permission: 'case.handle',
        },
        {
          key: '/cases',
          label: <Link to="/cases">{t('cases.nav.inbox')}</Link>,
          icon: <InboxOutlined />,
          permission: 'case.read',
        },
        {
          key: '/cases/supervisor',
          label: <Link to="/cases/supervisor">{t('cases.nav.supervisor')}</Link>,
          icon: <ExclamationCircleOutlined />,
          permission: 'case.supervise',
        },
        {
          key: '/cases/reports',
          label: <Link to="/cases/reports">{t('cases.nav.reports')}</Link>,
          icon: <LineChartOutlined />,
          permission: 'case.supervise',
        },
        {
          key: '/cases/settings',
          label: <Link to="/cases/settings">{t('cases.settings.nav')}</Link>,
          icon: <SettingOutlined />,
          permission: 'case.supervise',
        },
        {
          key: '/cases/calendar',
          label: <Link to="/cases/calendar">{t('cases.calendars.nav')}</Link>,
          icon: <CalendarOutlined />,
          permission: 'case.read',
        },
      ],
    },
    {
      key: 'system-group',
      label: t('nav.system'),
      icon: <ApartmentOutlined />,
      children: [
        {
          key: '/org-units',
          label: <Link to="/org-units">{t('nav.org')}</Link>,
          icon: <ApartmentOutlined />,
          permission: 'org.read',
        },
        {
          key: '/staff',
          label: <Link to="/staff">{t('nav.staff')}</Link>,
          icon: <TeamOutlined />,
          permission: 'staff.read',
        },
        {
          key: '/audit',
          label: <Link to="/audit">{t('nav.audit')}</Link>,
          icon: <AuditOutlined />,
          permission: 'audit.read',
        },
      ],
    },
  ];

  // Only what the user may use; a group with nothing left disappears.
  const visible = (items: readonly NavItem[]): MenuProps['items'] =>
    items.flatMap((item) => {
      if (item.permission && !user.can(item.permission)) return [];
      if (item.children) {
        const children = visible(item.children) ?? [];
        return children.length > 0 ? [{ key: item.key, label: item.label, icon: item.icon, children }] : [];
      }
      return [{ key: item.key, label: item.label, icon: item.icon }];
    });

  const selectedKey = location.pathname === '/' ? '/' : location.pathname.replace(/\/$/, '');
  const ownUnit = scope.unitName(user.orgUnitId);

  const userMenu: MenuProps['items'] = [
    {
      key: 'info',
      disabled: true,
      label: (
        <div style={{ maxWidth: 260 }}>
          <div>
            {t('shell.unit')}: {ownUnit}
          </div>
          <div>
            {t('shell.roles')}: {user.roles.map((r) => t(`role.${r}`)).join('、')}
          </div>
        </div>
      ),
    },
    { type: 'divider' },
    { key: 'sign-out', icon: <LogoutOutlined />, label: t('auth.signOut'), danger: true },
  ];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 16,
          background: '#8f1d22',
          paddingInline: 20,
          position: 'sticky',
          top: 0,
          zIndex: 10,
        }}
      >
        <Link
          to="/"
          style={{ display: 'flex', alignItems: 'center', gap: 10, color: '#fff', whiteSpace: 'nowrap' }}
        >
          <span
            aria-hidden
            style={{
              width: 30,
              height: 30,
              borderRadius: '50%',
              background: '#fff',
              color: '#8f1d22',
              display: 'grid',
              placeItems: 'center',
              fontWeight: 700,
              fontSize: 12,
              lineHeight: '30px',
            }}
          >
            SL
          </span>
          <span style={{ fontSize: 17, fontWeight: 600, letterSpacing: 1 }}>{t('app.fullName')}</span>
        </Link>
        <div style={{ flex: 1 }} />
        {user.can('org.read') && (
          <Space size={8}>
            <Typography.Text style={{ color: 'rgba(255,255,255,.85)' }}>
              {t('shell.orgScope')}
            </Typography.Text>
            <OrgTreeSelect
              id="org-switcher"
              ariaLabel={t('shell.orgScope')}
              value={scope.selectedId}
              onChange={scope.select}
              allowClear
              placeholder={t('shell.orgScopeAll')}
              style={{ width: 240 }}
            />
          </Space>
        )}
        <LanguageSwitch />
        <NotificationBell />
        <Dropdown
          menu={{
            items: userMenu,
            onClick: ({ key }) => {
              if (key === 'sign-out') void signOut().then(() => navigate('/sign-in'));
            },
          }}
          trigger={['click']}
        >
          <Button type="text" style={{ color: '#fff' }} data-testid="user-menu">
            <UserOutlined /> {user.displayName} <DownOutlined />
          </Button>
        </Dropdown>
      </Header>
      <Layout>
        <Sider
          width={208}
          theme="light"
          breakpoint="lg"
          collapsedWidth={64}
          style={{ borderRight: '1px solid #f0f0f0' }}
        >
          <Menu
            mode="inline"
            selectedKeys={[selectedKey]}
            defaultOpenKeys={['customers-group', 'queue-group', 'cases-group', 'system-group']}
            items={visible(nav)}
            style={{ borderInlineEnd: 'none', paddingTop: 8 }}
            aria-label={t('shell.navigation')}
          />
        </Sider>
        <Layout style={{ background: '#f3f4f6' }}>
          <Content style={{ padding: 20 }}>
            <PageSuspense>
              <Outlet />
            </PageSuspense>
          </Content>
          <Footer style={{ textAlign: 'center', color: '#999', padding: '12px 20px' }}>
            {t('app.footer')} · <Tag bordered={false}>{user.username}</Tag>
          </Footer>
        </Layout>
      </Layout>
    </Layout>
  );
}

export function RequirePermission({
  permission,
  children,
}: {
  readonly permission: Permission;
  readonly children: ReactNode;
}) {
  const { can } = useSession();
  const { t } = useTranslation();
  if (!can(permission)) return <Result status="403" title="403" subTitle={t('shell.forbidden')} />;
  return <>{children}</>;
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('shell.notFound')}
      extra={
        <Link to="/">
          <Button type="primary">{t('shell.backHome')}</Button>
        </Link>
      }
    />
  );
}

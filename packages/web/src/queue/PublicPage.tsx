import type { ReactNode } from 'react';
import { LanguageSwitch } from '../shell/ShellLayout.tsx';

/** Frame of the public screens (kiosk, status page): bank-red header, language switch, no sign-in. */
export function PublicPage({
  title,
  subtitle,
  children,
  large = false,
}: {
  readonly title: ReactNode;
  readonly subtitle?: ReactNode;
  readonly children: ReactNode;
  readonly large?: boolean;
}) {
  return (
    <div className="sl-public" style={{ minHeight: '100vh', background: '#f3f4f6' }}>
      <header
        className="sl-no-print"
        style={{
          background: '#8f1d22',
          color: '#fff',
          display: 'flex',
          alignItems: 'center',
          gap: 16,
          padding: large ? '20px 32px' : '12px 16px',
        }}
      >
        <span
          aria-hidden
          style={{
            width: large ? 48 : 32,
            height: large ? 48 : 32,
            borderRadius: '50%',
            background: '#fff',
            color: '#8f1d22',
            display: 'grid',
            placeItems: 'center',
            fontWeight: 700,
            fontSize: large ? 18 : 12,
            flex: 'none',
          }}
        >
          SL
        </span>
        <div style={{ flex: 1, minWidth: 0 }}>
          <div style={{ fontSize: large ? 34 : 18, fontWeight: 600, lineHeight: 1.2 }}>{title}</div>
          {subtitle && <div style={{ fontSize: large ? 20 : 13, opacity: 0.85 }}>{subtitle}</div>}
        </div>
        <LanguageSwitch />
      </header>
      <main style={{ padding: large ? 32 : 12 }}>{children}</main>
    </div>
  );
}

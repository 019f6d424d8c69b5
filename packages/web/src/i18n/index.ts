import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { type CasesMessages, casesEn, casesZh } from '../cases/i18n.ts';
import { type NotificationsMessages, notificationsEn, notificationsZh } from '../notifications/i18n.ts';
import { type QueueMessages, queueEn, queueZhCN } from '../queue/i18n.ts';
import { en } from './en.ts';
import { type Messages, zhCN } from './zh-CN.ts';

export type Locale = 'zh-CN' | 'en';
export const Locales: readonly Locale[] = ['zh-CN', 'en'];
const STORAGE_KEY = 'serviceloop.locale';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: {
      translation: Messages & {
        queue: QueueMessages;
        cases: CasesMessages;
        notifications: NotificationsMessages;
      };
    };
  }
}

function isLocale(value: unknown): value is Locale {
  return value === 'zh-CN' || value === 'en';
}

/** The persisted choice, else Chinese. */
export function storedLocale(): Locale {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export async function changeLocale(locale: Locale): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  document.documentElement.lang = locale;
  await i18next.changeLanguage(locale);
}

export const i18n = i18next;

export async function initI18n(): Promise<void> {
  const lng = storedLocale();
  document.documentElement.lang = lng;
  await i18next.use(initReactI18next).init({
    lng,
    fallbackLng: 'zh-CN',
    resources: {
      'zh-CN': { translation: { ...zhCN, queue: queueZhCN, cases: casesZh, notifications: notificationsZh } },
      en: { translation: { ...en, queue: queueEn, cases: casesEn, notifications: notificationsEn } },
    },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
}

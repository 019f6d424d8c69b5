import { App, Form, type FormInstance, Modal } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, fieldErrors } from './api.ts';

/**
 * A modal form that submits to the API; field issues from a problem+json land on their fields,
 * the rest shows as a message.
 */
export function FormModal<T extends object>({
  open,
  title,
  initialValues,
  onCancel,
  onSubmit,
  children,
  form: external,
  width,
  okText,
  testId,
}: {
  readonly open: boolean;
  readonly title: ReactNode;
  readonly initialValues?: Partial<T>;
  readonly onCancel: () => void;
  readonly onSubmit: (values: T) => Promise<void>;
  readonly children: ReactNode;
  readonly form?: FormInstance<T>;
  readonly width?: number;
  readonly okText?: string;
  readonly testId?: string;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [own] = Form.useForm<T>();
  const form = external ?? own;
  const [busy, setBusy] = useState(false);

  // Each opening starts from the given values. (No forceRender: a hidden modal that stays
  // mounted would sit on antd's Escape stack and swallow the key meant for the visible one.)
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the modal opens
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (initialValues) form.setFieldsValue(initialValues as never);
  }, [open]);

  const submit = async () => {
    let values: T;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      await onSubmit(values);
    } catch (error) {
      const registered = new Set(Object.keys(form.getFieldsValue() as object));
      const fields = fieldErrors(error).filter((f) => registered.has(f.name));
      if (fields.length > 0) form.setFields(fields.map((f) => ({ name: f.name as never, errors: f.errors })));
      const { title: headline, detail } = describeError(error, t);
      void message.error(detail && fields.length === 0 ? `${headline} — ${detail}` : headline);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={title}
      onCancel={onCancel}
      onOk={submit}
      confirmLoading={busy}
      okText={okText ?? t('common.save')}
      cancelText={t('common.cancel')}
      width={width ?? 560}
      destroyOnHidden
      data-testid={testId}
    >
      <Form<T> form={form} layout="vertical" onFinish={() => void submit()}>
        {children}
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}

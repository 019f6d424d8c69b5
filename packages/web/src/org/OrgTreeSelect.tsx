import { TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrgUnitKind } from '../shell/types.ts';
import { type OrgTreeNode, orgUnitLabel, useOrgScope } from './scope.tsx';

interface TreeOption {
  value: string;
  title: string;
  disabled: boolean;
  children: TreeOption[];
}

function toOptions(
  nodes: readonly OrgTreeNode[],
  locale: string,
  selectable: (kind: OrgUnitKind, active: boolean) => boolean,
): TreeOption[] {
  return nodes.map((n) => ({
    value: n.unit.id,
    title: `${orgUnitLabel(n.unit, locale)} (${n.unit.code})`,
    disabled: !selectable(n.unit.kind, n.unit.active),
    children: toOptions(n.children, locale, selectable),
  }));
}

/** A tree picker over the org units in the user's scope. */
export function OrgTreeSelect({
  value,
  onChange,
  kinds,
  placeholder,
  allowClear,
  id,
  style,
  ariaLabel,
}: {
  readonly value?: string | undefined;
  readonly onChange?: (value: string | undefined) => void;
  readonly kinds?: readonly OrgUnitKind[];
  readonly placeholder?: string;
  readonly allowClear?: boolean;
  readonly id?: string;
  readonly style?: React.CSSProperties;
  readonly ariaLabel?: string;
}) {
  const { i18n } = useTranslation();
  const { tree } = useOrgScope();
  const treeData = toOptions(
    tree,
    i18n.language,
    (kind, active) => active && (!kinds || kinds.includes(kind)),
  );
  return (
    <TreeSelect<string>
      id={id}
      aria-label={ariaLabel}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      treeData={treeData}
      treeDefaultExpandAll
      showSearch={{ treeNodeFilterProp: 'title' }}
      allowClear={allowClear}
      placeholder={placeholder}
      style={style}
      popupMatchSelectWidth={false}
    />
  );
}

/** The notification inbox's strings (merged into the translation resources under `notifications`). */
export const notificationsZh = {
  bell: '通知',
  title: '我的通知',
  empty: '暂无通知',
  unreadOnly: '只看未读',
  markAllRead: '全部标为已读',
  markRead: '标为已读',
  viewAll: '查看全部通知',
  loadMore: '加载更多',
  unread: '{{count}} 条未读',
  read: '已读',
  channelNote: '通知在系统内送达（站内信）；本机未配置外发邮件服务器。',
  type: {
    'case.created': '新案件指派给您',
    'case.assigned': '案件已指派给您',
    'case.warning': '时限预警',
    'case.breached': '时限已超时',
    'case.escalated': '超时升级',
    'case.compensation_approval_requested': '补偿待您审批',
    'case.compensation_approved': '您提交的补偿已批准',
    'case.compensation_declined': '您提交的补偿被拒绝',
    'case.review_requested': '客户申请复核',
    'case.reopened': '案件重新打开',
    'case.reclassified': '案件分类已更正',
    'case.rated': '客户已评价',
    'case.follow_up_scheduled': '已安排回访',
  },
} as const;

type Widen<T> = { readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type NotificationsMessages = Widen<typeof notificationsZh>;

export const notificationsEn: NotificationsMessages = {
  bell: 'Notifications',
  title: 'My notifications',
  empty: 'No notifications',
  unreadOnly: 'Unread only',
  markAllRead: 'Mark all read',
  markRead: 'Mark read',
  viewAll: 'All notifications',
  loadMore: 'Load more',
  unread: '{{count}} unread',
  read: 'Read',
  channelNote:
    'Notifications are delivered in the app; no outgoing mail server is configured on this machine.',
  type: {
    'case.created': 'A new case was assigned to you',
    'case.assigned': 'A case was assigned to you',
    'case.warning': 'SLA warning',
    'case.breached': 'SLA breached',
    'case.escalated': 'Escalated after breach',
    'case.compensation_approval_requested': 'Compensation awaits your approval',
    'case.compensation_approved': 'Your compensation request was approved',
    'case.compensation_declined': 'Your compensation request was declined',
    'case.review_requested': 'The customer asked for a review',
    'case.reopened': 'Case reopened',
    'case.reclassified': 'Case classification corrected',
    'case.rated': 'The customer rated the case',
    'case.follow_up_scheduled': 'Return visit scheduled',
  },
};

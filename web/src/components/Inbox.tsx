// The inbox's layout: conversation list (with who is online), the open conversation, the
// customer panel, the power tools and passing notices. State and live updates come from useInbox.
import { useInbox } from '../hooks/useInbox';
import { navigate } from '../router';
import type { User } from '../types';
import { ConversationList } from './ConversationList';
import { ConversationView } from './ConversationView';
import { CustomerPanel } from './CustomerPanel';
import { InboxPowerTools } from './InboxPowerTools';
import { Notifications } from './Notifications';
import { PresenceList } from './PresenceList';

interface Props {
  token: string;
  me: User | null;
  conversationId: string | null;
}

export function Inbox({ token, me, conversationId }: Props) {
  const m = useInbox(token, me, conversationId);
  const detail = m.open.detail;
  return (
    <div class="inbox">
      <ConversationList
        filters={m.list.filters}
        onFilters={m.list.setFilters}
        items={m.list.list}
        customers={m.list.matchedCustomers}
        loading={m.list.loading}
        error={m.list.error}
        hasMore={m.list.hasMore}
        onLoadMore={m.list.loadMore}
        selectedId={conversationId}
        onSelect={(id) => navigate(`#/c/${encodeURIComponent(id)}`)}
        breaches={m.breaches}
        connected={m.connected}
        selection={m.selection}
      >
        <PresenceList agents={m.presence} meId={me?.id ?? null} />
      </ConversationList>
      <ConversationView
        conversationId={conversationId}
        detail={detail && detail.id === conversationId ? detail : null}
        error={m.open.error}
        actionError={m.actionError}
        customer={m.customer.loadedCustomer}
        me={me}
        typingNames={m.activity.typingNames}
        viewers={m.activity.viewers}
        breach={conversationId ? (m.breaches[conversationId] ?? null) : null}
        canned={m.canned}
        onSend={m.sendReply}
        onTyping={m.activity.emitTyping}
        onChanged={m.applyConversation}
        onActionError={m.setActionError}
        onShowCustomer={() => m.setCustomerOpen(true)}
      />
      <CustomerPanel
        visible={!!conversationId}
        customer={m.customer.customer}
        consents={m.customer.consents}
        error={m.customer.error}
        refresh={`${detail?.status ?? ''}:${m.reloadTick}`}
        open={m.customerOpen}
        onClose={() => m.setCustomerOpen(false)}
      />
      <InboxPowerTools
        list={m.list.list}
        openId={conversationId}
        me={me}
        selection={m.selection}
        onChanged={m.applyConversation}
        onActionError={m.setActionError}
      />
      <Notifications items={m.notices.notices} onDismiss={m.notices.dismiss} />
    </div>
  );
}

// The supervisors' live team view (#/team): who is online and each agent's open load against
// capacity, the queue waiting for an agent, SLA at risk; reassign by a menu or by dragging a
// conversation onto an agent. Kept live by the /agents socket, polled as a fallback.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { client, unwrap } from '../api/client';
import { locale, t } from '../i18n';
import { useLiveSocket, useSocketEvents } from '../hooks/useLiveSocket';
import {
  loadLevel,
  reassignTargets,
  sortAgents,
  type TeamAgent,
  type TeamConversation,
  type TeamView as TeamViewData,
} from '../team-view-data';
import '../supervisors.css';

const POLL_MS = 30_000;
/** Socket events come in bursts (a reply updates the conversation and adds a message). */
const DEBOUNCE_MS = 300;
const DRAG_TYPE = 'application/x-hub-conversation';

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', hour12: false });

function ReassignMenu({
  conversation,
  agents,
  onAssign,
}: {
  conversation: TeamConversation;
  agents: TeamAgent[];
  onAssign: (conversationId: string, agent: TeamAgent) => void;
}) {
  const customer = conversation.customerName ?? t('team.unknownCustomer');
  return (
    <select
      class="reassign"
      aria-label={t('team.reassignLabel', { customer })}
      data-testid="reassign-select"
      value=""
      onChange={(e) => {
        const agent = agents.find((a) => a.id === e.currentTarget.value);
        e.currentTarget.value = '';
        if (agent) onAssign(conversation.id, agent);
      }}
    >
      <option value="">{t('team.reassign')}</option>
      {reassignTargets(agents, conversation.assigneeId).map((a) => (
        <option key={a.id} value={a.id}>
          {`${a.name} · ${t(`team.status.${a.status}`)} · ${t('team.loadOf', { open: a.open, capacity: a.capacity })}`}
        </option>
      ))}
    </select>
  );
}

function ConversationItem({
  conversation,
  agents,
  onAssign,
  detail,
  testId,
}: {
  conversation: TeamConversation;
  agents: TeamAgent[];
  onAssign: (conversationId: string, agent: TeamAgent) => void;
  detail?: string;
  testId: string;
}) {
  return (
    <li
      class="team-conv"
      draggable
      data-testid={testId}
      data-conversation-id={conversation.id}
      onDragStart={(e) => {
        e.dataTransfer?.setData(DRAG_TYPE, conversation.id);
        e.dataTransfer?.setData('text/plain', conversation.id);
      }}
    >
      <div class="team-conv-main">
        <a href={`#/c/${conversation.id}`} class="team-conv-customer">
          {conversation.customerName ?? t('team.unknownCustomer')}
        </a>
        {conversation.channel && (
          <span class="muted">
            {' '}
            · {t(`reports.channel.${conversation.channel}` as 'reports.channel.sms')}
          </span>
        )}
        {detail && <span class="muted"> · {detail}</span>}
        {conversation.preview && <p class="team-conv-preview muted">{conversation.preview}</p>}
      </div>
      <ReassignMenu conversation={conversation} agents={agents} onAssign={onAssign} />
    </li>
  );
}

function AgentCard({
  agent,
  agents,
  onAssign,
}: {
  agent: TeamAgent;
  agents: TeamAgent[];
  onAssign: (conversationId: string, agent: TeamAgent) => void;
}) {
  const [over, setOver] = useState(false);
  const level = loadLevel(agent.open, agent.capacity);
  const width = `${Math.min(100, agent.capacity > 0 ? (agent.open / agent.capacity) * 100 : 100)}%`;
  return (
    <li
      class={`team-agent ${agent.status}${over ? ' drop-over' : ''}`}
      data-testid="team-agent"
      data-agent-id={agent.id}
      data-status={agent.status}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const id = e.dataTransfer?.getData(DRAG_TYPE) || e.dataTransfer?.getData('text/plain');
        if (id) onAssign(id, agent);
      }}
    >
      <div class="team-agent-head">
        <span class={`presence-dot ${agent.status}`} aria-hidden="true" />
        <strong class="team-agent-name">{agent.name}</strong>
        <span class="muted">{t(`team.status.${agent.status}`)}</span>
        <span class="team-agent-teams muted">{agent.teams.map((x) => x.name).join(', ')}</span>
        <span
          class={`load ${level}`}
          data-testid="team-agent-load"
          title={t('team.load')}
          aria-label={`${t('team.load')} ${t('team.loadOf', { open: agent.open, capacity: agent.capacity })}`}
        >
          <span class="load-bar">
            <span class="load-fill" style={{ width }} />
          </span>
          {t('team.loadOf', { open: agent.open, capacity: agent.capacity })}
        </span>
      </div>
      {agent.conversations.length > 0 && (
        <ul class="team-convs">
          {agent.conversations.map((c) => (
            <ConversationItem
              key={c.id}
              conversation={c}
              agents={agents}
              onAssign={onAssign}
              testId="team-conversation"
            />
          ))}
        </ul>
      )}
    </li>
  );
}

export function TeamView() {
  const [view, setView] = useState<TeamViewData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { socket, connected: live } = useLiveSocket();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const load = useCallback(async () => {
    try {
      setView(await unwrap(client.GET('/api/v1/team-view')));
      setError(null);
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 403
          ? t('reports.forbidden')
          : e instanceof Error
            ? e.message
            : t('reports.failed'),
      );
    }
  }, []);

  const reloadSoon = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void load(), DEBOUNCE_MS);
  }, [load]);

  useEffect(() => {
    void load();
    const poll = setInterval(() => void load(), POLL_MS);
    return () => {
      clearInterval(poll);
      if (timer.current) clearTimeout(timer.current);
    };
  }, [load]);
  // On the app's shared socket (the shell opens it once per session).
  useSocketEvents(socket, {
    presence: reloadSoon,
    'conversation.created': reloadSoon,
    'conversation.updated': reloadSoon,
    'message.created': reloadSoon,
    'sla.breached': reloadSoon,
  });

  const assign = useCallback(
    async (conversationId: string, agent: TeamAgent) => {
      try {
        await unwrap(
          client.POST('/api/v1/conversations/{id}/assign', {
            params: { path: { id: conversationId } },
            body: { agentId: agent.id },
          }),
        );
        setNotice(t('team.reassigned', { name: agent.name }));
      } catch (e) {
        setNotice(t('team.reassignFailed', { reason: e instanceof Error ? e.message : '' }));
      }
      await load();
    },
    [load],
  );

  if (!view) {
    return (
      <main class="team" data-testid="team-page">
        <h1>{t('team.title')}</h1>
        <p class="muted">{error ?? t('reports.loading')}</p>
      </main>
    );
  }
  const agents = sortAgents(view.agents);
  return (
    <main class="team" data-testid="team-page">
      <div class="team-head">
        <h1>{t('team.title')}</h1>
        <span class={`team-live ${live ? 'on' : ''}`} data-testid="team-live">
          {live ? t('team.live') : t('team.polling')}
        </span>
        <span class="muted">{t('team.updated', { time: time(view.generatedAt) })}</span>
      </div>
      {error && <p class="error">{error}</p>}
      {notice && (
        <p class="team-notice" role="status" data-testid="team-notice">
          {notice}
        </p>
      )}
      <div class="team-grid">
        <section class="team-panel team-agents-panel">
          <h2>{t('team.agents')}</h2>
          <p class="muted team-hint">{t('team.dragHint')}</p>
          {agents.length === 0 ? (
            <p class="muted">{t('team.noAgents')}</p>
          ) : (
            <ul class="team-agents">
              {agents.map((a) => (
                <AgentCard key={a.id} agent={a} agents={agents} onAssign={assign} />
              ))}
            </ul>
          )}
        </section>
        <div class="team-side">
          <section class="team-panel" data-testid="team-queue">
            <h2>
              {t('team.queue')} <span class="count">{view.queue.length}</span>
            </h2>
            {view.queue.length === 0 ? (
              <p class="muted">{t('team.queueEmpty')}</p>
            ) : (
              <ul class="team-convs">
                {view.queue.map((c) => (
                  <ConversationItem
                    key={c.id}
                    conversation={c}
                    agents={agents}
                    onAssign={assign}
                    testId="team-queue-item"
                    detail={
                      c.queuedAt
                        ? t('team.queuedSince', { time: time(c.queuedAt) })
                        : t('team.unassignedSince', { time: time(c.createdAt) })
                    }
                  />
                ))}
              </ul>
            )}
          </section>
          <section class="team-panel" data-testid="team-sla">
            <h2>
              {t('team.sla')} <span class="count">{view.slaAtRisk.length}</span>
            </h2>
            {view.slaAtRisk.length === 0 ? (
              <p class="muted">{t('team.slaEmpty', { minutes: view.soonMinutes })}</p>
            ) : (
              <ul class="team-convs">
                {view.slaAtRisk.map((c) => (
                  <li
                    key={c.id}
                    class={`team-sla-item ${c.state}`}
                    data-testid="team-sla-item"
                    data-conversation-id={c.id}
                    data-state={c.state}
                  >
                    <span class={`sla-badge ${c.state}`}>{t(`team.sla.${c.state}`)}</span>
                    <a href={`#/c/${c.id}`}>{c.customerName ?? t('team.unknownCustomer')}</a>
                    <span class="muted">
                      {' · '}
                      {t(`team.sla.${c.kind}`)} · {t('team.sla.due', { time: time(c.dueAt) })} ·{' '}
                      {t('team.sla.assignee', { name: c.assigneeName ?? t('team.sla.nobody') })}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>
    </main>
  );
}

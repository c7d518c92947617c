import { useMemo, useState } from 'preact/hooks';
import { setLocale, t, type MessageKey } from '../i18n';
import {
  assignToMe,
  focusReply,
  openActions,
  openConversation,
  setOpenPriority,
  type InboxContext,
} from '../inbox-commands';
import type { PaletteCommand } from '../palette-commands';
import '../power-tools.css';
import { navigate } from '../router';
import { snoozePresets } from '../snooze-presets';
import type { Priority } from '../types';
import { useInboxKeyboard } from '../use-inbox-keyboard';
import type { RowSelection } from '../use-selection';
import { BulkBar } from './BulkBar';
import { CommandPalette } from './CommandPalette';
import { ShortcutHelp } from './ShortcutHelp';

const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'critical'];

/** Keyboard shortcuts, the command palette, the shortcut help and the bulk bar of the inbox. */
export function InboxPowerTools({ selection, ...ctx }: InboxContext & { selection: RowSelection }) {
  const [overlay, setOverlay] = useState<'palette' | 'help' | null>(null);
  useInboxKeyboard({
    ctx,
    selection,
    overlayOpen: overlay !== null,
    onPalette: () => setOverlay((o) => (o === 'palette' ? null : 'palette')),
    onHelp: () => setOverlay((o) => (o === 'help' ? null : 'help')),
    onEscape: () => setOverlay(null),
  });
  const commands = useMemo(
    () => (overlay === 'palette' ? paletteCommands(ctx, () => setOverlay('help')) : []),
    [overlay],
  );
  return (
    <>
      <BulkBar selection={selection} me={ctx.me} onChanged={ctx.onChanged} />
      {overlay === 'palette' && (
        <CommandPalette commands={commands} onClose={() => setOverlay(null)} />
      )}
      {overlay === 'help' && <ShortcutHelp onClose={() => setOverlay(null)} />}
    </>
  );
}

/** The palette's commands for the page as it is when the palette opens. */
function paletteCommands(ctx: InboxContext, showHelp: () => void): PaletteCommand[] {
  const go = t('palette.group.go');
  const out: PaletteCommand[] = [
    {
      id: 'go-inbox',
      group: go,
      label: t('nav.inbox'),
      keywords: 'go inbox',
      run: () => navigate('#/'),
    },
    {
      id: 'go-reports',
      group: go,
      label: t('nav.reports'),
      keywords: 'go reports',
      run: () => navigate('#/reports'),
    },
    {
      id: 'go-campaigns',
      group: go,
      label: t('nav.campaigns'),
      keywords: 'go campaigns',
      run: () => navigate('#/campaigns'),
    },
  ];
  const actions = openActions(ctx);
  if (actions) {
    const here = t('palette.group.conversation');
    out.push(
      {
        id: 'resolve',
        group: here,
        label: t('actions.resolve'),
        keywords: 'resolve close done',
        run: () => void actions.setStatus('resolved'),
      },
      {
        id: 'pending',
        group: here,
        label: t('actions.pending'),
        keywords: 'pending wait',
        run: () => void actions.setStatus('pending'),
      },
      {
        id: 'reply',
        group: here,
        label: t('shortcuts.reply'),
        keywords: 'reply answer',
        run: () => focusReply(false),
      },
      {
        id: 'note',
        group: here,
        label: t('shortcuts.note'),
        keywords: 'note internal',
        run: () => focusReply(true),
      },
    );
    if (ctx.me)
      out.push({
        id: 'assign-me',
        group: here,
        label: t('actions.assignMe'),
        keywords: 'assign me take',
        run: () => assignToMe(ctx),
      });
    for (const p of snoozePresets(new Date()))
      out.push({
        id: `snooze-${p.key}`,
        group: here,
        label: t('palette.snooze', { when: t(`snooze.${p.key}` as MessageKey) }),
        keywords: `snooze ${p.key}`,
        run: () => void actions.setStatus('snoozed', p.at),
      });
    for (const p of PRIORITIES)
      out.push({
        id: `priority-${p}`,
        group: here,
        label: t('palette.priority', { priority: t(`priority.${p}` as MessageKey) }),
        keywords: `priority ${p}`,
        run: () => setOpenPriority(ctx, p),
      });
  }
  const open = t('palette.group.open');
  for (const c of ctx.list)
    out.push({
      id: `open-${c.id}`,
      group: open,
      label: c.customer?.displayName || t('conversation.customer'),
      keywords: `open ${c.lastMessagePreview ?? ''}`.slice(0, 120),
      run: () => openConversation(c.id),
    });
  const language = t('locale.label');
  out.push(
    {
      id: 'lang-zh-CN',
      group: language,
      label: t('palette.language', { name: '简体中文' }),
      keywords: 'language chinese zh',
      run: () => setLocale('zh-CN'),
    },
    {
      id: 'lang-en',
      group: language,
      label: t('palette.language', { name: 'English' }),
      keywords: 'language english en',
      run: () => setLocale('en'),
    },
    {
      id: 'shortcuts',
      group: t('shortcuts.title'),
      label: t('shortcuts.help'),
      keywords: 'keyboard shortcuts help',
      run: showHelp,
    },
  );
  return out;
}

/*
 * The hub's embeddable live-chat widget.
 *
 *   <script src="https://hub.example/widget.js" data-hub-url="https://hub.example" async></script>
 *
 * Plain TypeScript, no framework, all DOM inside a shadow root so the host page's CSS cannot reach in
 * (nor ours out). The socket.io client is not bundled: it is loaded from the hub itself
 * (`<hub>/socket.io/socket.io.min.js`, served by socket.io) when the chat is first needed.
 */

export {};

interface ChatMessage {
  id?: string;
  text: string;
  direction: 'inbound' | 'outbound';
  author?: { name?: string } | string | null;
  createdAt?: string;
}

interface MiniSocket {
  connected: boolean;
  active: boolean;
  connect(): MiniSocket;
  on(event: string, fn: (payload: any) => void): MiniSocket;
  emit(event: string, payload?: unknown, ack?: (res: any) => void): MiniSocket;
}

/** identify's and verify's acknowledgement. */
interface IdentifyAck {
  customerId?: string;
  verified?: boolean;
  verification?: { channel?: string; to?: string; error?: string };
  error?: string;
}

type IoFactory = (url: string, opts: Record<string, unknown>) => MiniSocket;

/** Every visible string, in English and Chinese; the page's language (or the browser's) picks one. */
const STRINGS = {
  en: {
    bubble: 'Chat with us',
    panel: 'Chat',
    title: 'Chat with us',
    close: 'Close chat',
    name: 'Your name',
    email: 'E-mail (for replies)',
    save: 'Save',
    hint: 'Hi! Ask us anything, we usually answer within minutes.',
    identifyToggle: 'Leave your name and e-mail',
    message: 'Message',
    placeholder: 'Type a message…',
    send: 'Send',
    connecting: 'connecting…',
    offline: 'offline',
    agentTyping: 'Agent is typing…',
    codeSent: 'We sent a code to {to}. Enter it to see your earlier conversations here.',
    code: '6-digit code',
    verify: 'Verify',
    verified: 'Thanks, you are verified.',
    error: 'Something went wrong',
    notSent: 'Not sent',
    wrongCode: 'That code is not right ({left} left).',
    codeSpent: 'Too many tries or the code expired: save your e-mail again for a new code.',
  },
  'zh-CN': {
    bubble: '在线咨询',
    panel: '在线客服',
    title: '在线咨询',
    close: '关闭对话',
    name: '您的姓名',
    email: '电子邮箱（用于回复）',
    save: '保存',
    hint: '您好！有任何问题请随时提问，我们通常几分钟内回复。',
    identifyToggle: '留下您的姓名和邮箱',
    message: '消息',
    placeholder: '输入消息…',
    send: '发送',
    connecting: '连接中…',
    offline: '离线',
    agentTyping: '客服正在输入…',
    codeSent: '验证码已发送至 {to}，输入后即可在此查看您之前的对话。',
    code: '6 位验证码',
    verify: '验证',
    verified: '验证成功，谢谢。',
    error: '出错了',
    notSent: '未发送',
    wrongCode: '验证码不正确（剩余 {left} 次）。',
    codeSpent: '尝试次数过多或验证码已过期：请重新保存邮箱以获取新验证码。',
  },
} as const;
type Lang = keyof typeof STRINGS;
type StringKey = keyof (typeof STRINGS)['en'];

function pickLang(script: HTMLScriptElement | null): Lang {
  const wanted = [
    script?.getAttribute('data-lang'),
    document.documentElement.lang,
    ...(navigator.languages ?? []),
    navigator.language,
  ];
  for (const l of wanted) {
    const v = (l ?? '').toLowerCase();
    if (v.startsWith('zh')) return 'zh-CN';
    if (v.startsWith('en')) return 'en';
  }
  return 'en';
}

const TOKEN_KEY = 'hub.visitorToken';
const IDENTITY_KEY = 'hub.visitorIdentified';
const TYPING_THROTTLE_MS = 2000;
const TYPING_IDLE_MS = 3000;

const STYLES = `
:host{all:initial}
*{box-sizing:border-box;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,"PingFang SC","Microsoft YaHei",sans-serif}
.bubble{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;background:var(--hub-accent,#2563eb);color:#fff;cursor:pointer;box-shadow:0 4px 16px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;z-index:2147483000}
.bubble svg{width:26px;height:26px;fill:#fff}
.unread{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;border-radius:10px;background:#d32f2f;color:#fff;font-size:12px;line-height:20px;text-align:center;padding:0 5px}
.panel{position:fixed;right:20px;bottom:88px;width:min(360px,calc(100vw - 24px));height:min(520px,calc(100vh - 120px));background:#fff;color:#1d2330;border-radius:12px;box-shadow:0 8px 32px rgba(0,0,0,.22);display:flex;flex-direction:column;overflow:hidden;z-index:2147483000}
.panel[hidden]{display:none}
header{background:var(--hub-accent,#2563eb);color:#fff;padding:12px 14px;display:flex;align-items:center;gap:8px}
header b{flex:1;font-weight:600;color:#fff}
header button{background:none;border:0;color:#fff;cursor:pointer;font-size:18px;line-height:1;padding:2px 6px}
.state{font-size:11px;opacity:.85;color:#fff}
.log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:6px;background:#f6f7f9}
.msg{max-width:80%;padding:7px 11px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}
.msg.inbound{align-self:flex-end;background:var(--hub-accent,#2563eb);color:#fff;border-bottom-right-radius:4px}
.msg.outbound{align-self:flex-start;background:#fff;border:1px solid #e2e4e9;border-bottom-left-radius:4px}
.msg.pending{opacity:.6}
.who{display:block;font-size:11px;color:#6b7280;margin-bottom:1px}
.hint{color:#6b7280;font-size:13px;text-align:center;margin:8px 0}
.typing{min-height:18px;padding:0 12px;font-size:12px;color:#6b7280;font-style:italic;background:#f6f7f9}
.err{color:#c62828;font-size:12px;padding:4px 12px;background:#fdecea}
.err:empty{display:none}
form.send{display:flex;gap:6px;padding:10px;border-top:1px solid #e2e4e9;background:#fff}
textarea,input{flex:1;border:1px solid #d5d8de;border-radius:8px;padding:7px 9px;resize:none;color:#1d2330;background:#fff}
textarea:focus,input:focus{outline:2px solid #c7d7fb;border-color:var(--hub-accent,#2563eb)}
button.go{border:0;border-radius:8px;background:var(--hub-accent,#2563eb);color:#fff;padding:0 14px;cursor:pointer}
button.go:disabled{opacity:.5;cursor:default}
form.who-form{display:flex;flex-direction:column;gap:6px;padding:10px 12px;border-bottom:1px solid #e2e4e9;background:#fff}
form.who-form[hidden]{display:none}
form.who-form div{display:flex;gap:6px}
form.who-form input{min-width:0}
form.code-form{display:flex;flex-direction:column;gap:6px;padding:10px 12px;border-bottom:1px solid #e2e4e9;background:#fff}
form.code-form[hidden]{display:none}
form.code-form p{margin:0;font-size:13px;color:#1d2330;overflow-wrap:anywhere}
form.code-form div{display:flex;gap:6px}
form.code-form input{min-width:0;letter-spacing:3px}
.notice{font-size:12px;color:#1b5e20;background:#e8f5e9;padding:4px 12px}
.notice:empty{display:none}
.link{background:none;border:0;color:var(--hub-accent,#2563eb);cursor:pointer;padding:0;font-size:12px;text-decoration:underline}
`;

const ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z"/></svg>';

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function store(key: string, value?: string | null): string | null {
  try {
    if (value === undefined) return localStorage.getItem(key);
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* storage may be blocked (third-party iframes, private modes): the chat still works for this page */
  }
  return null;
}

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  const all = document.querySelectorAll<HTMLScriptElement>('script[src*="widget.js"]');
  return all.length ? all[all.length - 1] : null;
}

function hubUrlFrom(script: HTMLScriptElement | null): string {
  const explicit = script?.getAttribute('data-hub-url');
  const base =
    explicit || (script?.src ? new URL(script.src, location.href).origin : location.origin);
  return base.replace(/\/+$/, '');
}

let ioLoading: Promise<IoFactory> | null = null;
function loadIo(hubUrl: string): Promise<IoFactory> {
  const w = window as unknown as { io?: IoFactory };
  if (typeof w.io === 'function') return Promise.resolve(w.io);
  ioLoading ??= new Promise<IoFactory>((resolve, reject) => {
    const s = document.createElement('script');
    s.src = `${hubUrl}/socket.io/socket.io.min.js`;
    s.async = true;
    s.onload = () =>
      typeof w.io === 'function' ? resolve(w.io) : reject(new Error('socket.io client missing'));
    s.onerror = () => reject(new Error('cannot load the chat client'));
    document.head.appendChild(s);
  }).catch((err: Error) => {
    ioLoading = null; // allow a retry on the next open
    throw err;
  });
  return ioLoading;
}

class ChatWidget {
  private readonly root: ShadowRoot;
  private readonly bubble: HTMLButtonElement;
  private readonly badge: HTMLSpanElement;
  private readonly panel: HTMLDivElement;
  private readonly log: HTMLDivElement;
  private readonly typingLine: HTMLDivElement;
  private readonly errorLine: HTMLDivElement;
  private readonly stateLine: HTMLSpanElement;
  private readonly input: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly whoForm: HTMLFormElement;
  private readonly codeForm: HTMLFormElement;
  private readonly codeSent: HTMLParagraphElement;
  private readonly codeInput: HTMLInputElement;
  private readonly noticeLine: HTMLDivElement;
  private readonly hint: HTMLParagraphElement;
  private socket: MiniSocket | null = null;
  private connecting = false;
  private unread = 0;
  /** Message id -> its bubble, so nothing is drawn twice (history replays, echoes, acks). */
  private readonly seen = new Map<string, HTMLElement>();
  /** Sent messages kept briefly so the server's echo of them is not drawn twice. */
  private readonly pending: { text: string; node: HTMLElement }[] = [];
  private typingSince = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private agentTypingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly hubUrl: string,
    private readonly lang: Lang,
  ) {
    const host = el('div', { id: 'hub-chat-widget' });
    this.root = host.attachShadow({ mode: 'open' });
    const style = el('style', {}, STYLES);

    const tr = (key: StringKey) => this.t(key);
    host.setAttribute('lang', lang);
    this.bubble = el('button', {
      class: 'bubble',
      type: 'button',
      'aria-label': tr('bubble'),
      'data-testid': 'chat-bubble',
    });
    this.bubble.innerHTML = ICON; // a constant
    this.badge = el('span', { class: 'unread', hidden: '' });
    this.bubble.appendChild(this.badge);

    this.panel = el('div', {
      class: 'panel',
      role: 'dialog',
      'aria-label': tr('panel'),
      hidden: '',
      'data-testid': 'chat-panel',
    });
    const header = el('header');
    this.stateLine = el('span', { class: 'state' });
    const close = el(
      'button',
      { type: 'button', 'aria-label': tr('close'), 'data-testid': 'chat-close' },
      '×',
    );
    header.append(el('b', {}, tr('title')), this.stateLine, close);

    this.whoForm = el('form', {
      class: 'who-form',
      hidden: '',
      'data-testid': 'chat-identify-form',
    });
    const name = el('input', {
      name: 'name',
      placeholder: tr('name'),
      autocomplete: 'name',
      'data-testid': 'chat-name',
    });
    const email = el('input', {
      name: 'email',
      type: 'email',
      placeholder: tr('email'),
      autocomplete: 'email',
      'data-testid': 'chat-email',
    });
    const row = el('div');
    row.append(
      email,
      el('button', { class: 'go', type: 'submit', 'data-testid': 'chat-identify' }, tr('save')),
    );
    this.whoForm.append(name, row);

    this.codeForm = el('form', { class: 'code-form', hidden: '', 'data-testid': 'chat-code-form' });
    this.codeSent = el('p', { 'data-testid': 'chat-code-sent' });
    this.codeInput = el('input', {
      name: 'code',
      inputmode: 'numeric',
      autocomplete: 'one-time-code',
      maxlength: '6',
      placeholder: tr('code'),
      'aria-label': tr('code'),
      'data-testid': 'chat-code',
    });
    const codeRow = el('div');
    codeRow.append(
      this.codeInput,
      el('button', { class: 'go', type: 'submit', 'data-testid': 'chat-verify' }, tr('verify')),
    );
    this.codeForm.append(this.codeSent, codeRow);
    this.noticeLine = el('div', { class: 'notice', role: 'status', 'data-testid': 'chat-notice' });

    this.log = el('div', { class: 'log', 'aria-live': 'polite', 'data-testid': 'chat-log' });
    this.hint = el('p', { class: 'hint' }, tr('hint'));
    const whoToggle = el(
      'button',
      { type: 'button', class: 'link', 'data-testid': 'chat-identify-toggle' },
      tr('identifyToggle'),
    );
    const hintBox = el('div', { class: 'hint' });
    hintBox.append(this.hint, whoToggle);
    this.log.append(hintBox);

    this.typingLine = el('div', { class: 'typing', 'data-testid': 'chat-typing' });
    this.errorLine = el('div', { class: 'err', role: 'alert', 'data-testid': 'chat-error' });

    const sendForm = el('form', { class: 'send' });
    this.input = el('textarea', {
      rows: '1',
      placeholder: tr('placeholder'),
      'aria-label': tr('message'),
      'data-testid': 'chat-input',
    });
    this.sendButton = el(
      'button',
      { class: 'go', type: 'submit', 'data-testid': 'chat-send' },
      tr('send'),
    );
    sendForm.append(this.input, this.sendButton);

    this.panel.append(
      header,
      this.whoForm,
      this.codeForm,
      this.noticeLine,
      this.log,
      this.typingLine,
      this.errorLine,
      sendForm,
    );
    this.root.append(style, this.panel, this.bubble);
    document.body.appendChild(host);

    this.bubble.addEventListener('click', () => this.toggle());
    close.addEventListener('click', () => this.toggle(false));
    whoToggle.addEventListener('click', () => {
      this.whoForm.hidden = !this.whoForm.hidden;
      if (!this.whoForm.hidden) name.focus();
    });
    if (store(IDENTITY_KEY)) whoToggle.hidden = true;
    this.whoForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const payload = { name: name.value.trim(), email: email.value.trim(), locale: this.lang };
      if (!payload.name && !payload.email) return;
      void this.ensureSocket().then((s) => {
        s.emit('identify', payload, (ack: IdentifyAck | undefined) => this.identified(ack));
        store(IDENTITY_KEY, '1');
        this.whoForm.hidden = true;
        whoToggle.hidden = true;
      });
    });
    this.codeForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const code = this.codeInput.value.replace(/\s+/g, '');
      if (!code) return;
      void this.ensureSocket().then((s) =>
        s.emit('verify', { code }, (ack: IdentifyAck | undefined) => {
          if (ack?.error) return this.showError(this.codeError(ack.error));
          if (ack?.verified) {
            this.codeForm.hidden = true;
            this.codeInput.value = '';
            this.showError('');
            this.noticeLine.textContent = this.t('verified');
          }
        }),
      );
    });
    sendForm.addEventListener('submit', (e) => {
      e.preventDefault();
      this.send();
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.send();
      }
    });
    this.input.addEventListener('input', () => this.noteTyping());
    this.input.addEventListener('blur', () => this.stopTyping());

    // A returning visitor reconnects at once so agent replies arrive even before the panel opens.
    if (store(TOKEN_KEY)) void this.ensureSocket().catch(() => undefined);
  }

  private t(key: StringKey, params: Record<string, string> = {}): string {
    return STRINGS[this.lang][key].replace(/\{(\w+)\}/g, (m, k: string) => params[k] ?? m);
  }

  /** verify's refusals in the widget's language (the server's own words otherwise). */
  private codeError(error: string): string {
    const left = /wrong code, (\d+) attempts? left/.exec(error);
    if (left) return this.t('wrongCode', { left: left[1] });
    if (/no attempts left|too many wrong attempts|expired/.test(error)) return this.t('codeSpent');
    return error;
  }

  /** identify's answer: an e-mail claim not proven yet asks for the code sent to it. */
  private identified(ack: IdentifyAck | undefined): void {
    if (!ack) return;
    if (ack.error) return this.showError(ack.error);
    const v = ack.verification;
    if (ack.verified === false && v?.to) {
      this.codeSent.textContent = this.t('codeSent', { to: v.to });
      this.codeForm.hidden = false;
      this.codeInput.focus();
    } else if (v?.error) this.showError(v.error);
  }

  private toggle(open = this.panel.hidden): void {
    this.panel.hidden = !open;
    this.bubble.setAttribute('aria-expanded', String(open));
    if (open) {
      this.unread = 0;
      this.renderUnread();
      this.input.focus();
      this.ensureSocket().catch((err: Error) => this.showError(err.message));
      this.scroll();
    } else {
      this.stopTyping();
    }
  }

  private ensureSocket(): Promise<MiniSocket> {
    if (this.socket) return Promise.resolve(this.socket);
    if (!this.connecting) this.setState(this.t('connecting'));
    this.connecting = true;
    return loadIo(this.hubUrl).then((io) => {
      if (this.socket) return this.socket;
      const socket = io(`${this.hubUrl}/chat`, {
        // A function, so a reconnect uses the token the server issued after the first connect.
        auth: (cb: (a: Record<string, string>) => void) => {
          const visitorToken = store(TOKEN_KEY);
          cb(visitorToken ? { visitorToken } : {});
        },
        transports: ['websocket', 'polling'],
        tryAllTransports: true,
      });
      this.socket = socket;
      this.connecting = false;
      socket.on('connect', () => {
        this.setState('');
        this.showError('');
      });
      socket.on('disconnect', () => this.setState(this.t('offline')));
      let retriedWithoutToken = false;
      socket.on('connect_error', (err: { message?: string } | undefined) => {
        this.setState(this.t('offline'));
        // Refused by the server (not a network blip): the stored token may be stale or forged.
        // Forget it once and reconnect as a new visitor; the server then issues a fresh `session`.
        if (!socket.active && !retriedWithoutToken && store(TOKEN_KEY)) {
          retriedWithoutToken = true;
          store(TOKEN_KEY, null);
          socket.connect();
        } else if (!socket.active && err?.message) {
          // Refused as a new visitor (too many from this address): say why.
          this.showError(err.message);
        }
      });
      socket.on('session', (s: { visitorToken?: string }) => {
        if (s?.visitorToken) store(TOKEN_KEY, s.visitorToken);
      });
      socket.on('message', (m: ChatMessage) => this.receive(m));
      socket.on('history', (h: { messages?: ChatMessage[] } | ChatMessage[]) => {
        for (const m of Array.isArray(h) ? h : (h?.messages ?? [])) this.receive(m, true);
      });
      socket.on('typing', (t: { typing?: boolean }) => this.agentTyping(!!t?.typing));
      socket.on('error', (e: { message?: string } | string) => {
        this.showError(typeof e === 'string' ? e : (e?.message ?? this.t('error')));
      });
      return socket;
    });
  }

  private send(): void {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = '';
    this.stopTyping();
    this.showError('');
    const node = this.append({ text, direction: 'inbound' }, true);
    const entry = { text, node };
    this.pending.push(entry);
    setTimeout(() => this.drop(entry), 30_000);
    this.ensureSocket()
      .then((s) => {
        const settle = () => {
          if (s.connected) node.classList.remove('pending');
        };
        // The server may or may not acknowledge: an ack settles at once, otherwise a connected socket after 1 s.
        setTimeout(settle, 1000);
        s.emit(
          'message',
          { text },
          (ack: { id?: string; error?: string; message?: string } | undefined) => {
            if (ack && typeof ack === 'object' && (ack.error || (ack.message && !ack.id))) {
              this.showError(ack.message ?? ack.error ?? this.t('notSent'));
              node.remove();
              this.drop(entry);
              return;
            }
            node.classList.remove('pending');
            if (ack?.id) this.confirm(entry, ack.id);
          },
        );
      })
      .catch((err: Error) => {
        this.showError(err.message);
        node.remove();
        this.drop(entry);
      });
  }

  private drop(entry: { text: string; node: HTMLElement }): void {
    const i = this.pending.indexOf(entry);
    if (i >= 0) this.pending.splice(i, 1);
  }

  private confirm(entry: { text: string; node: HTMLElement }, id: string): void {
    const drawn = this.seen.get(id);
    if (drawn && drawn !== entry.node) {
      // The same message was already drawn from another source (a history replay): keep that one.
      entry.node.remove();
    } else {
      this.seen.set(id, entry.node);
      entry.node.classList.remove('pending');
      entry.node.dataset.messageId = id;
    }
    this.drop(entry);
  }

  private receive(m: ChatMessage, quiet = false): void {
    if (!m || typeof m.text !== 'string') return;
    if (m.id && this.seen.has(m.id)) return;
    if (m.direction === 'inbound') {
      // Our own message coming back: settle its pending bubble instead of drawing a second one.
      const mine = this.pending.find((p) => p.text === m.text.trim() || p.text === m.text);
      if (mine) {
        if (m.id) this.confirm(mine, m.id);
        else {
          mine.node.classList.remove('pending');
          this.drop(mine);
        }
        return;
      }
    }
    const node = this.append(m, false);
    if (m.id) this.seen.set(m.id, node);
    if (m.direction === 'outbound') {
      this.agentTyping(false);
      if (this.panel.hidden && !quiet) {
        this.unread += 1;
        this.renderUnread();
      }
    }
  }

  private append(m: ChatMessage, pending: boolean): HTMLElement {
    this.hint.hidden = true;
    const node = el('div', {
      class: `msg ${m.direction === 'inbound' ? 'inbound' : 'outbound'}${pending ? ' pending' : ''}`,
      'data-testid': 'chat-message',
      'data-direction': m.direction === 'inbound' ? 'inbound' : 'outbound',
    });
    if (m.id) node.dataset.messageId = m.id;
    const author = typeof m.author === 'string' ? m.author : m.author?.name;
    if (m.direction === 'outbound' && author) node.append(el('span', { class: 'who' }, author));
    node.append(document.createTextNode(m.text));
    if (m.createdAt) node.title = new Date(m.createdAt).toLocaleString();
    this.log.append(node);
    this.scroll();
    return node;
  }

  private noteTyping(): void {
    const s = this.socket;
    if (!s) return;
    const now = Date.now();
    if (!this.typingSince || now - this.typingSince >= TYPING_THROTTLE_MS) {
      this.typingSince = now;
      s.emit('typing', { typing: true });
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private stopTyping(): void {
    clearTimeout(this.idleTimer);
    if (this.typingSince) {
      this.typingSince = 0;
      this.socket?.emit('typing', { typing: false });
    }
  }

  private agentTyping(on: boolean): void {
    clearTimeout(this.agentTypingTimer);
    this.typingLine.textContent = on ? this.t('agentTyping') : '';
    // If the "stopped" signal is lost, the line still clears itself.
    if (on) this.agentTypingTimer = setTimeout(() => this.agentTyping(false), 8000);
  }

  private renderUnread(): void {
    this.badge.hidden = this.unread === 0;
    this.badge.textContent = this.unread > 9 ? '9+' : String(this.unread);
  }

  private setState(text: string): void {
    this.stateLine.textContent = text;
  }

  private showError(text: string): void {
    this.errorLine.textContent = text;
  }

  private scroll(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }
}

(() => {
  const w = window as unknown as { __hubChatWidget?: ChatWidget };
  if (w.__hubChatWidget) return; // embedded twice: keep one
  const script = findScript(); // read now: currentScript is only set while this script first runs
  const hubUrl = hubUrlFrom(script);
  const lang = pickLang(script);
  const start = () => {
    if (!w.__hubChatWidget) w.__hubChatWidget = new ChatWidget(hubUrl, lang);
  };
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
})();

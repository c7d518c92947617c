import { Logger } from '@nestjs/common';
import { TemplateEngine } from '../templates';

const FALLBACK = { en: 'Thank you for calling.', zh: '感谢您的来电。' };

/** The spoken greeting of an inbound call, from templates/voice-greeting (locale fallback). */
export class VoiceGreeting {
  private engine: TemplateEngine | null = null;
  private readonly log = new Logger('VoiceGreeting');
  /** Each failure is logged once, not on every call. */
  private readonly logged = new Set<string>();

  constructor(private readonly directory = 'templates') {}

  render(locale: string): string {
    try {
      this.engine ??= new TemplateEngine({ directory: this.directory });
      return this.engine.render('voice-greeting', 'voice', { locale, data: {} }).text;
    } catch (e) {
      // A missing or broken template must not drop the call: the caller hears the built-in
      // greeting, and the log says why the template's was not used.
      const why = e instanceof Error ? e.message : String(e);
      if (!this.logged.has(why)) {
        this.logged.add(why);
        this.log.warn(`voice-greeting template not rendered, built-in greeting used: ${why}`);
      }
      return locale.toLowerCase().startsWith('zh') ? FALLBACK.zh : FALLBACK.en;
    }
  }
}

import { TemplateEngine } from '../templates';

const FALLBACK = { en: 'Thank you for calling.', zh: '感谢您的来电。' };

/** The spoken greeting of an inbound call, from templates/voice-greeting (locale fallback). */
export class VoiceGreeting {
  private engine: TemplateEngine | null = null;

  constructor(private readonly directory = 'templates') {}

  render(locale: string): string {
    try {
      this.engine ??= new TemplateEngine({ directory: this.directory });
      return this.engine.render('voice-greeting', 'voice', { locale, data: {} }).text;
    } catch {
      // A missing or broken template must not drop the call.
      return locale.toLowerCase().startsWith('zh') ? FALLBACK.zh : FALLBACK.en;
    }
  }
}

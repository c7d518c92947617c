/**
 * Rendering a compiled template for its channel: subject, body, the e-mail layout and text
 * alternative, SMS segments, speech text. Pure CPU over what the engine compiled.
 */
import type Handlebars from 'handlebars';
import { countSmsSegments } from './sms-segments';
import { emailText } from './email-text-template';
import { toSpeechText } from './plain-text';
import { runDelegate, runtimeFor, type Compiled } from './template-engine.parts';
import type { RenderOptions, RenderedTemplate } from './template-types';

export function renderCompiled(compiled: Compiled, options: RenderOptions): RenderedTemplate {
  const source = compiled.source;
  const { key, channel } = source;
  const runtime = runtimeFor(compiled, options.timezone);
  const data = options.data;

  const subject =
    compiled.subject === null
      ? undefined
      : runDelegate(
          compiled.subject,
          data,
          runtime,
          `${compiled.id} (subject)`,
          source.subject ?? '',
          0,
        ).trim();
  const body = runDelegate(
    compiled.body,
    data,
    runtime,
    compiled.id,
    source.body,
    source.bodyLineOffset,
  );
  let text: string;
  let html: string | undefined;
  let segments: RenderedTemplate['segments'];
  switch (channel) {
    case 'email':
      html =
        compiled.layout === null
          ? body
          : runLayout(compiled.layout, data, body, subject, runtime);
      text = emailText(compiled.text, compiled.layout !== null, { data, subject, html, runtime });
      break;
    case 'sms':
      text = body.trim();
      segments = countSmsSegments(text);
      break;
    case 'whatsapp':
    case 'voice':
      text = toSpeechText(body);
      break;
    case 'wechat':
    case 'livechat':
      text = body.trim();
      break;
  }
  const rendered: RenderedTemplate = {
    key,
    channel,
    locale: source.locale,
    variant: source.variant,
    version: source.version,
    text,
  };
  if (subject !== undefined) rendered.subject = subject;
  if (html !== undefined) rendered.html = html;
  if (segments !== undefined) rendered.segments = segments;
  return rendered;
}

/** The layout sees the template's data plus body and subject. */
function runLayout(
  layout: NonNullable<Compiled['layout']>,
  data: Readonly<Record<string, unknown>>,
  body: string,
  subject: string | undefined,
  runtime: Handlebars.RuntimeOptions,
): string {
  const context = { ...data, body, subject: subject ?? '' };
  return runDelegate(
    layout.delegate,
    context,
    runtime,
    `layout ${layout.source.name}`,
    layout.source.body,
    0,
  );
}

/** Turns Handlebars exceptions into TemplateErrors that name the variable or the line. */
import { TemplateError } from './template-error';

interface HandlebarsException extends Error {
  lineNumber?: number;
  column?: number;
}

const PATH_AT = /^[@\w$./\-[\]]+/;

/** The full path ("order.id") at the error's position, else the bare name Handlebars gave. */
function missingPath(error: HandlebarsException, name: string, source: string): string {
  if (error.lineNumber === undefined || error.column === undefined) return name;
  const line = source.split('\n')[error.lineNumber - 1] ?? '';
  const path = PATH_AT.exec(line.slice(error.column))?.[0];
  if (
    path !== undefined &&
    (path === name || path.endsWith(`.${name}`) || path.endsWith(`/${name}`))
  ) {
    return path.replace(/^(this|\.)[./]/, '');
  }
  return name;
}

export function syntaxError(error: unknown, template: string, lineOffset: number): TemplateError {
  const e = error as HandlebarsException;
  const message = String(e.message ?? error);
  const parseLine = /Parse error on line (\d+)/.exec(message);
  const bodyLine = parseLine !== null ? Number(parseLine[1]) : e.lineNumber;
  const line = bodyLine === undefined ? undefined : bodyLine + lineOffset;
  const detail = (
    parseLine !== null
      ? message.split('\n').slice(1).join(' | ')
      : message.replace(/ - \d+:\d+$/, '')
  )
    .replace(/\s+/g, ' ')
    .trim();
  const where = line === undefined ? '' : ` at line ${line}`;
  return new TemplateError('syntax', `syntax error in template ${template}${where}: ${detail}`, {
    template,
    line,
    column: e.column,
  });
}

export function renderError(
  error: unknown,
  template: string,
  source: string,
  lineOffset: number,
): TemplateError {
  if (error instanceof TemplateError) return error;
  const e = error as HandlebarsException;
  const message = String(e.message ?? error);
  const missing = /^"([^"]+)" not defined in/.exec(message);
  const line = e.lineNumber === undefined ? undefined : e.lineNumber + lineOffset;
  if (missing !== null) {
    const variable = missingPath(e, missing[1], source);
    return new TemplateError(
      'missingVariable',
      `missing variable "${variable}" in template ${template}`,
      {
        template,
        variable,
        line,
        column: e.column,
      },
    );
  }
  return new TemplateError('render', `cannot render template ${template}: ${message}`, {
    template,
    line,
  });
}

import { DomainError } from '../common/errors/domain-error';
import { TemplateError } from './template-error';

/**
 * Maps a TemplateError to the HTTP answer: a missing variable is 422 naming it, a body that
 * does not compile is 400 with the line, an unknown template/locale is `notFoundAs`.
 */
export function templateHttpError(
  error: unknown,
  notFoundAs: 'not_found' | 'unprocessable' = 'not_found',
): unknown {
  if (!(error instanceof TemplateError)) return error;
  const { variable, line, template } = error.details;
  switch (error.code) {
    case 'missingVariable':
      return new DomainError(
        'unprocessable',
        `data.${variable ?? '?'}: missing variable "${variable ?? '?'}" in template ${template ?? ''}`.trim(),
        {
          variable,
          template,
        },
      );
    case 'syntax':
      return new DomainError('bad_request', `body: line ${line ?? '?'}: ${error.message}`, {
        line,
        template,
      });
    case 'notFound':
      return new DomainError(notFoundAs, `template: ${error.message}`, { template });
    case 'render':
    case 'invalidFile':
      return new DomainError('unprocessable', `template: ${error.message}`, { line, template });
  }
}

/** Errors of the template engine, each with a code the HTTP layer maps (422, 400, 404). */
export type TemplateErrorCode =
  'missingVariable' | 'syntax' | 'notFound' | 'render' | 'invalidFile';

export class TemplateError extends Error {
  constructor(
    readonly code: TemplateErrorCode,
    message: string,
    readonly details: { template?: string; variable?: string; line?: number; column?: number } = {},
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

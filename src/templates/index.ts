export { TemplateEngine } from './template-engine';
export type { TemplateEngineOptions } from './template-engine';
export { TemplateError } from './template-error';
export type { TemplateErrorCode } from './template-error';
export { countSmsSegments } from './sms-segments';
export type { SmsSegments } from './sms-segments';
export { parseFrontMatter } from './front-matter';
export { localeChain } from './locale-chain';
export * from './template-types';

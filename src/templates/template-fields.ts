import { z } from 'zod';

/** The fields that name a template slot, as every templates route validates them. */
export const TemplateKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lower-case letters, digits and dashes');
export const TemplateLocale = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a locale like en or zh-CN');
export const TemplateVariant = z
  .string()
  .regex(/^[a-z0-9-]{1,32}$/, 'must be lower-case letters, digits and dashes');

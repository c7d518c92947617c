/**
 * Helpers a template may call: those registered on the engine's isolated instance. Handlebars
 * resolves an unknown helper only when the template runs (or, for `log`, writes the template's
 * arguments to the server console), so calls are checked when a body is compiled instead.
 */
import Handlebars from 'handlebars';
import { TemplateError } from './template-error';

/** Built-ins removed from the instance: `log` writes template data to the process's console. */
export const REMOVED_HELPERS = ['log'] as const;

interface HelperCall {
  name: string;
  line: number;
  column: number;
}

type CallNode = hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement;

class HelperCalls extends Handlebars.Visitor {
  readonly calls: HelperCall[] = [];

  private note(node: CallNode): void {
    if (node.path.type !== 'PathExpression') return;
    const path = node.path as hbs.AST.PathExpression;
    if (path.data || path.parts.length !== 1 || path.original.startsWith('this')) return;
    // A helper is called by a bare name with arguments; {{name}} alone may be a variable and a
    // block without arguments iterates or scopes over one, as Handlebars itself decides at run
    // time. A removed built-in is refused either way: the compiler still calls {{log}} directly.
    const hasArgs = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
    if (!hasArgs && !(REMOVED_HELPERS as readonly string[]).includes(path.original)) return;
    this.calls.push({
      name: path.original,
      line: node.loc.start.line,
      column: node.loc.start.column,
    });
  }

  override MustacheStatement(node: hbs.AST.MustacheStatement): void {
    this.note(node);
    super.MustacheStatement(node);
  }

  override SubExpression(node: hbs.AST.SubExpression): void {
    this.note(node);
    super.SubExpression(node);
  }

  override BlockStatement(node: hbs.AST.BlockStatement): void {
    this.note(node);
    super.BlockStatement(node);
  }
}

/** Throws a TemplateError (syntax, with the line) when the body calls a helper the instance lacks. */
export function checkHelperCalls(
  hb: typeof Handlebars,
  body: string,
  template: string,
  lineOffset: number,
): void {
  const visitor = new HelperCalls();
  visitor.accept(hb.parse(body));
  const unknown = visitor.calls.find((c) => !Object.hasOwn(hb.helpers, c.name));
  if (unknown === undefined) return;
  const line = unknown.line + lineOffset;
  const why = (REMOVED_HELPERS as readonly string[]).includes(unknown.name)
    ? 'is not available in templates'
    : 'is unknown';
  const known = Object.keys(hb.helpers)
    .filter((h) => h !== 'helperMissing' && h !== 'blockHelperMissing' && !h.startsWith('__'))
    .sort()
    .join(', ');
  throw new TemplateError(
    'syntax',
    `syntax error in template ${template} at line ${line}: helper "${unknown.name}" ${why} (helpers: ${known})`,
    { template, line, column: unknown.column },
  );
}

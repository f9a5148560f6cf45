/**
 * Template engine and expression language (browser-safe): the editor validates and previews with the
 * same code that runs at deploy and per message. See README.md in this folder for the language.
 */
export {
  compileExpression, simplePathSteps, lineColumn, ExpressionSyntaxError, ExpressionRuntimeError,
  type CompiledExpression, type ExpressionLimits,
} from './expression';
export {
  compileTemplate, TemplateRenderError,
  type CompiledTemplate, type MissingPolicy, type TemplateContext, type TemplateOptions,
} from './template';
export { TemplateSyntaxError } from './parse';
export type { TemplateKind, TokenPosition } from './context-lexer';
export { analyzeTemplate, renderPreview, type TemplateAnalysis, type TemplateProblem, type TemplateToken, type PreviewResult } from './analyze';
export { suggestPath, foreignVariableHint } from './hints';
export { pathUses, unknownPaths, uncalledFunctions, type PathUse, type UnknownPath } from './path-uses';
export { HELPERS, HELPER_NAMES } from './helpers';
export { formatDate } from './date-format';
export { digest, hmac, type DigestAlgorithm } from './digest';
export { truthy } from './truthy';

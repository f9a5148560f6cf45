/**
 * Inbound request pieces of the webhook trigger (Node only): body reading and parsing, signature
 * schemes and the per-trigger auth check. The runtime calls these on every request.
 */
export { HttpError } from './http-error';
export { readBody, parseBody, type BodyKind, type ParsedBody, type ParseBodyOptions } from './body';
export { parseXmlBody, DEFAULT_MAX_XML_DEPTH } from './xml-body';
export { findJsonErrorOffset, positionOf, type TextPosition } from './json-error';
export {
  DEFAULT_TOLERANCE_SEC,
  GITHUB_SIGNATURE,
  generateApiKey,
  generateWebhookSecret,
  headerValue,
  safeEqual,
  signHmacHeader,
  signStandardWebhook,
  verifyHmacHeader,
  verifyStandardWebhook,
  type HeaderMap,
  type HmacAlgorithm,
  type HmacHeaderOptions,
  type SignatureEncoding,
  type VerifyResult,
} from './signatures';
export { createAuthVerifier, type AuthRequest, type AuthResult, type AuthVerifier } from './auth';

export { detectCredential, CREDENTIAL_RULES, type CredentialKind, type DetectedCredential } from './detect-credential.js';
export { extractClientCredentials, type ClientCredentials, type RequestHeaders } from './extract-client-credentials.js';
export { createApiKeyAuthenticator, type ApiKeyAuthenticator, type GatewayKeyConfig, type GatewayPrincipal } from './api-key-authenticator.js';

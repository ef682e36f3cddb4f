export {
  CollectorClient,
  CaFileError,
  EnrollError,
  createCollectorClient,
  ENROLL_PATH,
  INGEST_PATH,
  type ApiProblem,
  type CollectorClientOptions,
  type CollectorSettings,
  type SendResult,
} from './client.js';
export { CredentialError, readCredential, writeCredential } from './credential.js';
export { NetworkError, parseRetryAfter } from './http.js';

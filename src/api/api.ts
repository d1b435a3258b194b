// The API layer's public surface for the composition root.
export { createApiService, type ApiService, type ApiServiceDeps } from './api-service.js';

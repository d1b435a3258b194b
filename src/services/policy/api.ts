// The policy service's public surface: the only file other folders import.
export { createPolicyControl, type PolicyControl, type PolicyControlService } from './policy-control.js';
export { createPolicyService, type PolicyEngineApi, type PolicyService } from './policy-service.js';
export { DEFAULT_POLICIES, DEFAULT_POLICY_FILE } from './default-policies.js';
export { RAYOS_CEDAR_SCHEMA, ACTION_RESOURCES } from './rayos-schema.js';
export { checkPolicyFileName } from './policy-files.js';
export { entityName, fillContext } from './policy-engine.js';

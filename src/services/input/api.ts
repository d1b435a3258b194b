// The input service's public surface: the only file other folders import.
export { createInputService, type InputBroker, type InputService } from './input-broker.js';
export { CODE_TO_QCODE, qcodeOfCode, qcodeOfName, strokesOfText, toAbsolute } from './key-map.js';

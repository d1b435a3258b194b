// The display service's public surface: the only file other folders import.
export { createDisplayService, type DisplayControl, type DisplayService, type FrameSource } from './display-service.js';
export { createCompositorStore, type CompositorStore } from './compositor-store.js';

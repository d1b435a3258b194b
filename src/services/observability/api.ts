// Owns the public face of the observability service: what other modules may import from it.
export { runDoctor, type RunDoctorOptions } from './doctor.js';

export { StudentT } from './student-t.js';
export { studentTPrior, studentTConfigSchema, type StudentTPriorConfig } from './student-t-prior.js';
export { registerStudentTPrior } from './register-student-t-prior.js';
export { logGamma } from './log-gamma.js';

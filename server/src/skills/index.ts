/**
 * The skills module's interface (README.md here): the framework, the item bank, adaptive
 * assessments, learning paths, team dashboards and certificates. Other modules use only this.
 */
export type { SkillsDeps } from './assessments/assessments.ts';
export { seedStarterBank } from './items/seed-starter.ts';
export { skillsRoutes } from './routes.ts';
export { certificateClaims, type CertificateClaims } from './certificates/certificate.ts';
export { seedDemoResults } from './demo-results.ts';
export { runCalibration, type CalibrationRun } from './calibration/calibration.ts';
export { skillsPersonalData } from './personal-data.ts';
export { skillsAuthoringRoutes } from './items/routes.ts';
export { organisationSkillsArchive, type OrganisationSkillsArchive, type SkillsArchivePlan, type SkillsArchiveReader, type SkillsImportReport } from './archive/organisation-archive.ts';

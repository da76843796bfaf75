import { authRetentionJobs } from '../auth/retention-jobs';
import { callMaintenanceJobs } from '../calls/jobs';
import { contactRetentionJobs } from '../contacts/retention-jobs';
import { recordingMaintenanceJobs } from '../recordings/jobs';
import { voicemailRetentionJobs } from '../voicemail/retention-jobs';
import type { MaintenanceJob } from './cron';

/** The jobs the daily cron runs, in order. Features add theirs here. */
export const maintenanceJobs: MaintenanceJob[] = [
  ...authRetentionJobs,
  ...contactRetentionJobs,
  ...callMaintenanceJobs,
  ...voicemailRetentionJobs,
  ...recordingMaintenanceJobs,
];

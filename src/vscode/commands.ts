// The command table: every `pgdba.<name>` command and the factory that builds its handler from
// the context, in one place (the shape of rust-analyzer's createCommands()). package.json's
// contributes.commands lists the same names; the e2e smoke test checks the two sets are equal.
import type { CommandFactory } from './ctx';
import { showServerVersion } from './commands/showServerVersion';
import { getStarted } from './commands/getStarted';
import { copySql, loadMore, openAsTable, refreshServers, selectConnection } from './explorer/explorerCommands';
import { addConnection, removeConnection, setPassword } from './explorer/connectionCommands';
import { cancelBackend, editSetting, fixPgStatStatements, resetSetting, terminateBackend } from './explorer/serverCommands';
import { lintFile, writeTunedConfig } from './lint/lintCommands';
import { comparePlans, explain, explainAnalyze, openPlan } from './explain/explainCommands';
import { runHealthCheckCommand } from './health/runHealthCheck';
import { adviseIndexesCommand } from './health/adviseIndexes';
import { openLoadTestRun, runLoadTestCommand } from './loadtest/loadTestCommand';
import { openDashboard } from './dashboard/dashboardCommands';
import { backupDatabase, restore, verify } from './backup/backupCommands';
import * as backupFiles from './backup/backupFileCommands';
import { openServerConfiguration, reloadServerConfiguration } from './serverfiles/serverFileCommands';
import * as bouncer from './bouncer/bouncerCommands';
import { openLogFiles, openServerLogs } from './logs/logCommands';

export const COMMANDS: Readonly<Record<string, CommandFactory>> = {
  showServerVersion,
  showLog: (ctx) => () => ctx.log.show(),
  getStarted,
  // Servers view
  refreshServers,
  retryNode: refreshServers,
  selectConnection,
  addConnection,
  setPassword,
  removeConnection,
  copySql,
  openAsTable,
  loadMore,
  editSetting,
  resetSetting,
  cancelBackend,
  terminateBackend,
  fixPgStatStatements,
  // Config files
  lintFile,
  writeTunedConfig,
  openServerConfiguration,
  reloadServerConfiguration,
  // Plans
  explainAnalyze,
  explain,
  openPlan,
  comparePlans,
  // Backups
  backupDatabase,
  verifyBackup: verify,
  restoreBackup: restore,
  uploadBackup: backupFiles.upload,
  downloadBackup: backupFiles.download,
  deleteBackup: backupFiles.remove,
  applyBackupRetention: backupFiles.retention,
  writeBackupSchedule: backupFiles.schedule,
  revealBackup: backupFiles.reveal,
  copyBackupPath: backupFiles.copyPath,
  // PgBouncer
  bouncerPause: bouncer.bouncerPause,
  bouncerResume: bouncer.bouncerResume,
  bouncerKill: bouncer.bouncerKill,
  bouncerReload: bouncer.bouncerReload,
  bouncerReconnect: bouncer.bouncerReconnect,
  setBouncerPassword: bouncer.setBouncerPassword,
  // Health, load, dashboard
  runHealthCheck: runHealthCheckCommand,
  adviseIndexes: adviseIndexesCommand,
  runLoadTest: runLoadTestCommand,
  openLoadTestRun,
  openDashboard,
  // Logs
  openServerLogs,
  openLogFiles,
};

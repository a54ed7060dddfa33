import type { StatusReport } from '../../contract/status.js';
import { isAdmin, type Principal } from '../../auth/principal.js';
import { clientText } from './client-text.js';

/**
 * What /api/status shows a caller. Admins see everything; agents see dependency names and states
 * and what features work, but not the operator detail (resource names, paths, missing IAM actions).
 */
export function statusFor(principal: Principal, report: StatusReport): StatusReport {
  if (isAdmin(principal)) return report;
  const features = Object.fromEntries(
    Object.entries(report.features).map(([name, feature]) => [
      name,
      feature.reason === undefined ? feature : { ...feature, reason: clientText(feature.reason) },
    ]),
  ) as StatusReport['features'];
  return {
    ...report,
    // A whitelist, so a field added to the report later is not shown to agents by accident.
    dependencies: report.dependencies.map((d) => ({
      name: d.name,
      state: d.state,
      detail: '',
      ...(d.latencyMs === undefined ? {} : { latencyMs: d.latencyMs }),
      checkedAt: d.checkedAt,
    })),
    features,
  };
}

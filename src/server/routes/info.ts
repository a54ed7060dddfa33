import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ENDPOINTS } from '../../contract/endpoints.js';
import type { UiLanguage } from '../../contract/languages.js';
import type { StatusReport } from '../../contract/status.js';
import { endpointRoute } from '../http/endpoint-route.js';
import { principalOf } from '../http/access.js';
import { statusFor } from '../http/status-view.js';

export interface InfoRouteOptions {
  status: () => StatusReport;
  examples: (language: UiLanguage) => Promise<string[]>;
}

export const infoRoutes: FastifyPluginAsyncZod<InfoRouteOptions> = async (api, { status, examples }) => {
  // Agents see states and features; dependency details and missing IAM actions are for admins.
  api.route({ ...endpointRoute(ENDPOINTS.status), handler: async (request) => statusFor(principalOf(request), status()) });
  api.route({ ...endpointRoute(ENDPOINTS.examples), handler: async (request) => ({ questions: await examples(request.query.lang) }) });
};

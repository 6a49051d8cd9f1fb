// The lab's web server for one world host: an HttpService whose app is the shared web sites of the
// lab's data folder (content/sites, copied to <data>/world/sites). Every world host with an http
// service gets one, each on its own port; any of them serves any site by Host.

import type { LabService, ServiceContext } from '../services/service-base';
import { HttpService } from './http-service';
import { createSiteApp } from './sites/site-app';
import { acquireSites } from './sites/site-registry';

export const HTTP_SITES_DESCRIPTION = 'HTTP/1.1 web server (RFC 9110, RFC 9112): the lab\'s virtual hosts, chosen by the Host header.';

export function createSitesService(ctx: ServiceContext): LabService {
  return new HttpService(ctx, {
    description: HTTP_SITES_DESCRIPTION,
    ...(ctx.httpLimits ? { limits: ctx.httpLimits } : {}),
    openApp: async () => {
      if (!ctx.worldDir || !ctx.dataDir) throw new Error('the lab did not say where its data folder is, so the web sites cannot be found');
      const lease = await acquireSites(ctx.worldDir, ctx.dataDir, ctx.now());
      const own = lease.sites.byName.get(ctx.binding.host.name);
      return {
        app: createSiteApp(lease.sites, ctx.world),
        description: own?.config.description ? `HTTP/1.1 web server: ${own.config.description}` : `${HTTP_SITES_DESCRIPTION} This host has no site of its own, so requests without a known Host get ${lease.sites.defaultSite.config.name}.`,
        release: () => lease.release(),
      };
    },
  });
}

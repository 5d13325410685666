// Proactive outreach's routes as one plugin: runs, pause and figures of campaigns (declared through the
// Campaign collection, like every resource kind), and consent. One `use` in the app's long chain.
import { Elysia } from 'elysia'
import { campaignRoutes, type CampaignRouteDeps } from './campaigns.ts'
import { outreachConsentRoutes } from './outreach-consent.ts'

export function outreachRoutes(deps: CampaignRouteDeps) {
  return new Elysia({ name: 'outreach' })
    .use(campaignRoutes(deps))
    .use(outreachConsentRoutes(deps))
}

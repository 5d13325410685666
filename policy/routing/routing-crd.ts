// The RoutingPolicy CustomResourceDefinition, derived from the same TypeBox schema that validates files,
// so the CRD in k8s/crds/ cannot drift from the code (a test compares them).
import { customResourceDefinition, type Json } from '../../lib/crd.ts'
import { RoutingPolicySpec, ROUTING_API_VERSION } from './routing-policy.ts'

/** The CRD object, ready to serialise as YAML. */
export function routingPolicyCrd(): Json {
  return customResourceDefinition({
    apiVersion: ROUTING_API_VERSION,
    kind: 'RoutingPolicy',
    plural: 'routingpolicies',
    shortNames: ['rtp'],
    columns: [{ name: 'Version', type: 'string', field: 'version' }],
    spec: RoutingPolicySpec,
  })
}

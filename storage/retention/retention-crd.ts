// The RetentionPolicy CustomResourceDefinition, derived from the TypeBox schema that validates the files,
// so k8s/crds/retention-policy.yaml cannot drift from the parser (test/k8s/crds.test.ts compares them).
import { customResourceDefinition, type Json } from '../../lib/crd.ts'
import { RetentionPolicySpec, RETENTION_API_VERSION } from './retention-policy.ts'

/** The CRD object, ready to serialise as YAML. */
export function retentionPolicyCrd(): Json {
  return customResourceDefinition({
    apiVersion: RETENTION_API_VERSION,
    kind: 'RetentionPolicy',
    plural: 'retentionpolicies',
    shortNames: ['rtn'],
    columns: [
      { name: 'Version', type: 'integer', field: 'version' },
      { name: 'Tenant', type: 'string', field: 'tenant' },
      { name: 'Agent', type: 'string', field: 'agent' },
    ],
    spec: RetentionPolicySpec,
  })
}

// The custom resource definitions of the resource kinds, built from the schemas that validate files and API
// bodies, so k8s/crds/ cannot drift from the code (test/k8s/crds.test.ts compares them).
import { customResourceDefinition, SWITCHBOARD_API_VERSION, type Json } from '../lib/crd.ts'
import { KINDS, type ResourceKind } from './kinds.ts'

/** The CRD of one kind, ready to serialise as YAML. */
export function resourceCrd(kind: ResourceKind): Json {
  const k = KINDS[kind]
  return customResourceDefinition({
    apiVersion: SWITCHBOARD_API_VERSION, kind: k.kind, plural: k.plural, shortNames: k.shortNames, columns: k.columns, spec: k.spec,
  })
}

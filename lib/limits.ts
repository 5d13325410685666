// Bounds the deployment is built around. The worker's shutdown grace (SHUTDOWN_GRACE_MS, and the pod's
// terminationGracePeriodSeconds above it in k8s/base/) must outlast the longest provider call, so no call may be
// configured longer than this: the providers' default deadline and the cap of every configured one.
export const LONGEST_PROVIDER_CALL_MS = 60_000

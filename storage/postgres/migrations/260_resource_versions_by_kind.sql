-- Every process reads the RetentionPolicy and RoutingPolicy resources in force for all tenants every few
-- seconds (resources.inForce): one kind across tenants, which the primary key (tenant first) cannot serve.
create index if not exists resource_versions_by_kind on resource_versions (kind, tenant_id, name, version desc);

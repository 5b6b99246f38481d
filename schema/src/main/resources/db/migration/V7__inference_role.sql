-- Least privilege (docs/reliability.md): where the deployment gave inference-service a role of its
-- own (k8s/base/postgres-roles/nin-roles.sh, run by the compose file and k8s/), that role reads the
-- catalogue and writes only its pin table. The schema's owner (the trainer's role, which runs these
-- migrations) keeps every other right. Without that role (the local stack, one role for all),
-- nothing changes.
do $$
begin
  if exists (select from pg_roles where rolname = 'nin_inference') then
    grant usage on schema public to nin_inference;
    grant select on all tables in schema public to nin_inference;
    grant insert, update, delete on serving_pin to nin_inference;
    -- tables and views later migrations add are readable too
    alter default privileges in schema public grant select on tables to nin_inference;
  end if;
end
$$;

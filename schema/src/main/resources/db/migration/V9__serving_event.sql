-- What served when, and why: one row per serving event of any inference replica (a model loaded,
-- a checkpoint rejected, a pin set or removed), so the serving history outlives the replicas'
-- memory and can be queried in SQL. Written by inference-service, the one table it inserts into
-- besides serving_pin.
create table serving_event (
    id              bigserial primary key,
    at              timestamptz not null,
    replica         text        not null,
    kind            text        not null check (kind in ('LOADED', 'REJECTED', 'PINNED', 'UNPINNED')),
    -- no foreign key: the history of a checkpoint stays when the checkpoint is deleted
    checkpoint_id   bigint,
    run_id          uuid,
    epoch           integer,
    -- how long a load took
    millis          bigint,
    -- why: the rejection's reason, who pinned
    reason          text
);

create index serving_event_at_idx on serving_event (at desc);
create index serving_event_checkpoint_idx on serving_event (checkpoint_id, at desc);

do $$
begin
  if exists (select from pg_roles where rolname = 'nin_inference') then
    grant insert on serving_event to nin_inference;
    grant usage on sequence serving_event_id_seq to nin_inference;
  end if;
end
$$;

-- The checkpoint every inference replica serves regardless of its policy (a rollback), if any.
-- Written by inference-service (PUT/DELETE /api/model/pin), so that one call pins the whole fleet:
-- each replica applies it on its next poll.
create table serving_pin (
    singleton     boolean     primary key default true check (singleton),
    checkpoint_id bigint      not null references checkpoint (id) on delete cascade,
    pinned_at     timestamptz not null default now()
);

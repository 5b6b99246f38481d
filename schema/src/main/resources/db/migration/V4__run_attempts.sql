-- One row per claim of a run: which trainer took it and where it started. A first attempt starts
-- at step 0, offset 0; a resumed one names the checkpoint it restored and the step and train-topic
-- offset it continued from, so anyone can check in SQL that a crash or restart cost only the steps
-- since that checkpoint.
create table run_attempt (
    run_id                   uuid        not null references training_run (id) on delete cascade,
    attempt                  integer     not null check (attempt > 0),
    trainer                  text        not null,
    started_at               timestamptz not null default now(),
    resumed_from_checkpoint  bigint      references checkpoint (id) on delete set null,
    start_step               bigint      not null,
    start_offset             bigint      not null,
    primary key (run_id, attempt)
);

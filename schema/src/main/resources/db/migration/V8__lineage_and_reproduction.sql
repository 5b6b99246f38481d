-- Lineage and reproduction (docs/reproducibility.md).

-- What a checkpoint's model is, bit for bit: SHA-256 over its served weights in a canonical order
-- and layout (dev.nin.core.checkpoint.WeightsDigest), independent of run id, time, zip layout and
-- optimizer state. Two checkpoints with equal weights have equal digests.
alter table checkpoint add column weights_sha256 text;

-- What made it: dataset digests, sampling, the Kafka offsets each epoch consumed, the code
-- version, the runtime and every hyperparameter (the same JSON as the SavedModel's lineage.json).
alter table checkpoint add column lineage jsonb;

-- A run queued by POST /api/runs/{id}/reproduce names the run it reproduces.
alter table training_run add column reproduces uuid references training_run (id) on delete set null;

-- One verdict per epoch of a reproduction: its epoch checkpoint against the original's.
create table reproduction_verdict (
    run_id                  uuid        not null references training_run (id) on delete cascade,
    epoch                   integer     not null,
    checkpoint_id           bigint      not null references checkpoint (id) on delete cascade,
    original_run_id         uuid        not null,
    -- null when the original had no checkpoint of this epoch when the comparison was made
    original_checkpoint_id  bigint      references checkpoint (id) on delete set null,
    verdict                 text        not null check (verdict in ('identical', 'differs', 'no-original')),
    max_abs_weight_diff     double precision,
    test_top1_delta         double precision,
    test_loss_delta         double precision,
    decided_at              timestamptz not null default now(),
    primary key (run_id, epoch)
);

-- "Where did this model come from, and was it reproduced?": one row per evaluated checkpoint.
create view checkpoint_lineage as
select c.id                                       as checkpoint_id,
       c.run_id,
       r.name                                     as run_name,
       c.epoch,
       c.step,
       c.weights_sha256,
       c.model_sha256,
       c.test_top1,
       c.test_loss,
       c.lineage -> 'code' ->> 'commit'           as code_commit,
       c.lineage -> 'data' -> 'datasetSha256'     as dataset_sha256,
       c.lineage -> 'data' -> 'epochs'            as consumed,
       c.lineage -> 'hyperparameters'             as hyperparameters,
       c.lineage -> 'runtime'                     as runtime,
       r.reproduces,
       v.verdict                                  as reproduction_verdict,
       v.original_checkpoint_id,
       v.max_abs_weight_diff,
       v.test_top1_delta,
       c.created_at
from checkpoint c
join training_run r on r.id = c.run_id
left join reproduction_verdict v on v.checkpoint_id = c.id
where c.kind = 'epoch';

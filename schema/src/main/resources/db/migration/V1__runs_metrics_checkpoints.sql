-- The history of every training run. Owned by trainer-service; inference-service only reads.
-- Column names are snake_case so that users can query them in psql without quoting.

create table training_run (
    id                      uuid primary key,
    name                    text,
    status                  text        not null default 'QUEUED'
        check (status in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    -- hyperparameters (defaults are the seed chapter's recipe)
    learning_rate           double precision not null default 0.001 check (learning_rate > 0),
    batch_size              integer     not null default 128 check (batch_size between 1 and 4096),
    epochs                  integer     not null default 10 check (epochs between 1 and 1000),
    resize                  integer     not null default 224 check (resize between 67 and 512),
    optimizer               text        not null default 'adam' check (optimizer in ('adam', 'sgd')),
    one_by_one_convs        integer     not null default 2 check (one_by_one_convs between 0 and 4),
    dropout                 double precision not null default 0.5 check (dropout >= 0 and dropout < 1),
    seed                    bigint      not null default 42,
    train_limit             integer     check (train_limit > 0),
    test_limit              integer     check (test_limit > 0),
    augment                 boolean     not null default false,
    log_every               integer     not null default 50 check (log_every > 0),
    checkpoint_every_steps  integer     check (checkpoint_every_steps > 0),
    -- model facts, filled in when the run starts
    params                  bigint,
    flops_per_image         bigint,
    device                  text,
    -- progress, updated while the run trains
    current_epoch           integer     not null default 0,
    current_step            bigint      not null default 0,
    images_per_s            double precision,
    -- ownership: which trainer instance claimed the run, and when it last showed life
    claimed_by              text,
    heartbeat_at            timestamptz,
    attempts                integer     not null default 0,
    cancel_requested        boolean     not null default false,
    error                   text,
    created_at              timestamptz not null default now(),
    started_at              timestamptz,
    finished_at             timestamptz
);

-- "runs by status and date", and the queue: the oldest QUEUED run is claimed first.
create index training_run_status_created_idx on training_run (status, created_at);
create index training_run_created_idx on training_run (created_at desc);

create table run_metric (
    id              bigserial primary key,
    run_id          uuid        not null references training_run (id) on delete cascade,
    -- 'step': a training step's running figures; 'epoch': an epoch's totals
    scope           text        not null check (scope in ('step', 'epoch')),
    split           text        not null check (split in ('train', 'test')),
    epoch           integer     not null,
    step            bigint      not null,
    loss            double precision,
    top1            double precision,
    top5            double precision,
    images          bigint,
    images_per_s    double precision,
    learning_rate   double precision,
    recorded_at     timestamptz not null default now(),
    -- a resumed run rewrites the same point instead of adding a duplicate
    unique (run_id, scope, split, epoch, step)
);

-- "a run's learning curve": metrics by run and step
create index run_metric_run_step_idx on run_metric (run_id, scope, step);

create table checkpoint (
    id              bigserial primary key,
    run_id          uuid        not null references training_run (id) on delete cascade,
    epoch           integer     not null,
    step            bigint      not null,
    -- 'epoch': evaluated at an epoch's end, served; 'resume': mid-epoch, only for crash recovery
    kind            text        not null check (kind in ('epoch', 'resume')),
    test_loss       double precision,
    test_top1       double precision,
    test_top5       double precision,
    -- inference-only SavedModel as a zip (null for resume-only checkpoints)
    model_zip       bytea,
    model_sha256    char(64),
    model_bytes     bigint,
    -- variables and optimizer state (Adam moments and step) to continue training exactly
    state_zip       bytea       not null,
    state_sha256    char(64)    not null,
    -- where to continue reading: images of the current epoch already applied, and the
    -- Kafka offsets (partition -> next offset) of the run's train topic
    images_in_epoch bigint      not null default 0,
    resume_offsets  jsonb       not null default '{}'::jsonb,
    created_at      timestamptz not null default now(),
    check ((kind = 'epoch') = (model_zip is not null)),
    check (model_zip is null or model_sha256 is not null)
);

-- Zips do not compress further: store them out of line without a wasted compression attempt.
alter table checkpoint alter column model_zip set storage external;
alter table checkpoint alter column state_zip set storage external;

-- "newest checkpoint" of a run (resume) and overall (serving)
create index checkpoint_run_created_idx on checkpoint (run_id, created_at desc);
create index checkpoint_servable_created_idx on checkpoint (created_at desc) where kind = 'epoch';
create index checkpoint_servable_top1_idx on checkpoint (test_top1 desc) where kind = 'epoch';

-- One row a run: what users ask first.
create view run_summary as
select r.id,
       r.name,
       r.status,
       r.learning_rate,
       r.batch_size,
       r.epochs,
       r.resize,
       r.optimizer,
       r.one_by_one_convs,
       r.dropout,
       r.seed,
       r.train_limit,
       r.test_limit,
       r.augment,
       coalesce(e.epochs_done, 0)                                   as epochs_done,
       e.best_test_top1,
       e.best_test_top5,
       e.final_test_top1,
       e.final_test_top5,
       extract(epoch from (coalesce(r.finished_at, now()) - r.started_at)) as duration_s,
       t.train_images_per_s                                         as images_per_s,
       r.params,
       r.flops_per_image,
       r.device,
       r.created_at,
       r.started_at,
       r.finished_at,
       r.error
from training_run r
left join lateral (
    select count(*)                                                 as epochs_done,
           max(m.top1)                                              as best_test_top1,
           max(m.top5)                                              as best_test_top5,
           (array_agg(m.top1 order by m.epoch desc))[1]             as final_test_top1,
           (array_agg(m.top5 order by m.epoch desc))[1]             as final_test_top5
    from run_metric m
    where m.run_id = r.id and m.scope = 'epoch' and m.split = 'test'
) e on true
left join lateral (
    select sum(m.images) / nullif(sum(m.images / nullif(m.images_per_s, 0)), 0) as train_images_per_s
    from run_metric m
    where m.run_id = r.id and m.scope = 'epoch' and m.split = 'train'
) t on true;

-- Sweeps (issue 19): a search over run fields whose trials are ordinary runs, claimed by any
-- trainer like every other run, and stopped early by a rung rule. A stopped trial, or a run whose
-- test top-1 reached a plateau, ends STOPPED_EARLY: it did not fail, it was judged not worth its
-- remaining epochs, and stop_reason says by what.
create table sweep (
    id              uuid primary key,
    name            text,
    -- the request as submitted (base run, search space, budget), for users and the dashboard
    spec            jsonb       not null,
    search          text        not null check (search in ('grid', 'random')),
    seed            bigint      not null,
    trials          integer     not null check (trials between 1 and 200),
    -- at most this many trials of the sweep RUNNING at once (the claim enforces it)
    parallelism     integer     not null check (parallelism between 1 and 64),
    -- 'asha': continue only in the top 1/eta of the trials that reached the rung before;
    -- 'median': continue only at or above the median of those; 'none': every trial runs out
    stop_rule       text        not null check (stop_rule in ('none', 'asha', 'median')),
    -- the numbers of completed epochs at which a trial is judged, ascending
    rungs           integer[]   not null default '{}',
    eta             integer     not null default 3 check (eta between 2 and 10),
    cancel_requested boolean    not null default false,
    created_at      timestamptz not null default now()
);

alter table training_run
    drop constraint training_run_status_check,
    add constraint training_run_status_check
        check (status in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'STOPPED_EARLY')),
    add column sweep_id uuid references sweep (id) on delete cascade,
    add column sweep_trial integer check (sweep_trial >= 1),
    -- the run fields this trial sets over the sweep's base run
    add column sweep_values jsonb,
    add column stop_reason text,
    -- a single run's own early stopping: end after this many epochs without a new best test top-1
    -- that beats the previous best by more than early_stop_min_delta (null: never)
    add column early_stop_patience integer check (early_stop_patience between 1 and 1000),
    add column early_stop_min_delta double precision not null default 0
        check (early_stop_min_delta >= 0 and early_stop_min_delta < 1),
    add check ((sweep_id is null) = (sweep_trial is null)),
    add unique (sweep_id, sweep_trial);

-- a sweep's trials, and the count of its RUNNING ones that every claim reads
create index training_run_sweep_idx on training_run (sweep_id, status) where sweep_id is not null;

-- One row per trial, best first within each sweep: what the sweep tried and what each got.
create view sweep_summary as
select s.id                                        as sweep_id,
       s.name                                      as sweep_name,
       rank() over (partition by s.id
                    order by e.best_test_top1 desc nulls last) as rank,
       r.sweep_trial                               as trial,
       r.id                                        as run_id,
       r.status,
       r.stop_reason,
       r.sweep_values                              as tried,
       coalesce(e.epochs_done, 0)                  as epochs_done,
       e.best_test_top1,
       e.final_test_top1,
       r.learning_rate,
       r.batch_size,
       r.epochs,
       r.resize,
       r.optimizer,
       r.one_by_one_convs,
       r.dropout,
       r.schedule,
       r.weight_decay,
       r.label_smoothing,
       r.crop_padding,
       r.augment,
       r.seed,
       extract(epoch from (coalesce(r.finished_at, now()) - r.started_at)) as duration_s
from sweep s
join training_run r on r.sweep_id = s.id
left join lateral (
    select count(*)                                    as epochs_done,
           max(m.top1)                                 as best_test_top1,
           (array_agg(m.top1 order by m.epoch desc))[1] as final_test_top1
    from run_metric m
    where m.run_id = r.id and m.scope = 'epoch' and m.split = 'test'
) e on true;

-- Three more recipe options a run trains with, resolved at submission: decoupled weight decay
-- (AdamW; 0 unless asked), random crops of the training images after zero padding (0: none; ingest
-- cuts them, seeded by the run, so a replay is the same data), and the step schedule (the rate
-- divided by ten at half and again at three quarters of the run). Runs recorded before this
-- trained with none of them, hence the defaults.
alter table training_run
    add column weight_decay double precision not null default 0
        check (weight_decay >= 0 and weight_decay < 1),
    add column crop_padding integer not null default 0
        check (crop_padding between 0 and 8),
    drop constraint training_run_schedule_check,
    add constraint training_run_schedule_check check (schedule in ('constant', 'cosine', 'step'));

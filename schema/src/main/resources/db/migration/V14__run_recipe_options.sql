-- The recipe's options a run trains with, resolved at submission (the recipe's value where the
-- request left one out; the schedule is 'constant' unless asked, as no recipe decays the rate), so
-- that a resumed or reproduced run trains as it was asked even after a
-- recipe changes. Runs recorded before this column trained with none of them, hence the defaults.
alter table training_run
    add column warmup_steps    integer          not null default 0 check (warmup_steps >= 0),
    add column schedule        text             not null default 'constant'
        check (schedule in ('constant', 'cosine')),
    add column label_smoothing double precision not null default 0
        check (label_smoothing >= 0 and label_smoothing < 1),
    add column average_decay   double precision not null default 0
        check (average_decay >= 0 and average_decay < 1);

-- What a run's data looks like, known once its first batches arrive: for progress and ETA.
alter table training_run add column batches_per_epoch integer;
alter table training_run add column images_per_epoch integer;

-- A mid-epoch checkpoint also keeps the epoch's running sums (images, loss, hits), so that the
-- epoch's training figures after a resume still count every image exactly once.
alter table checkpoint add column epoch_progress jsonb not null default '{}'::jsonb;

-- How long an epoch took, on its epoch points: the training time (split 'train': from asking for
-- each batch to the step done, so waiting on Kafka counts) and the evaluation's (split 'test').
-- Null on step points and on epochs recorded before this column.
alter table run_metric add column seconds double precision check (seconds is null or seconds >= 0);

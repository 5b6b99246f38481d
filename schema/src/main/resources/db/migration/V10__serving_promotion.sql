-- Safe promotion (inference-service's gate, shadow and canary) in the serving history: the new
-- event kinds, and the figures a trial measured, so that "why did this checkpoint serve, or not"
-- is one query on serving_event.
alter table serving_event drop constraint serving_event_kind_check;
alter table serving_event add constraint serving_event_kind_check check (kind in (
    'LOADED', 'REJECTED', 'PINNED', 'UNPINNED',
    'GATED', 'SHADOW_STARTED', 'SHADOW_ENDED', 'CANARY_STARTED', 'TRIAL_FAILED',
    'TRIAL_ABANDONED', 'PROMOTED'));

-- requests a shadow or canary saw, the errors among them
alter table serving_event add column requests bigint;
alter table serving_event add column errors bigint;
-- share of shadowed images whose top-1 matched the serving model's
alter table serving_event add column agreement double precision;
-- the candidate's p99 latency during its trial
alter table serving_event add column p99_millis double precision;

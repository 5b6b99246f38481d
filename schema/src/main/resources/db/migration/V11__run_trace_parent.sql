-- The W3C trace context (traceparent) of the request that queued a run, so that the run's training,
-- done later by whichever trainer claims it, joins that request's trace. Null when tracing is off.
alter table training_run add column trace_parent text;

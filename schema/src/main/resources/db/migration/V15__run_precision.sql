-- The arithmetic a run computes in (issue 17): 'fp32', or 'bf16' (bfloat16 feature blocks, float32
-- weights). A run submitted with 'auto' keeps that word until a trainer starts it, which writes the
-- precision its hardware resolved 'auto' to; a resumed run then continues in the same one. Runs
-- recorded before this column trained in float32.
alter table training_run
    add column precision text not null default 'fp32'
        check (precision in ('fp32', 'bf16', 'auto'));

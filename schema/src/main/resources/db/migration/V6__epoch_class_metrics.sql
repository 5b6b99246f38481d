-- Each epoch's test evaluation, class by class. The seed's classifier ends in a ReLU before the
-- global average pooling, so a class whose channel closes is never predicted again while top-1
-- can still look fine: "predicted = 0" is that failure, visible in SQL.
create table epoch_class_metric (
    run_id      uuid    not null references training_run (id) on delete cascade,
    epoch       integer not null,
    class_index integer not null check (class_index >= 0),
    class_name  text    not null,
    -- test images of this class, how many of them were predicted as it, and how many test images
    -- of any class were predicted as it (a tied top counts as no prediction)
    images      bigint  not null check (images >= 0),
    hits        bigint  not null check (hits between 0 and images),
    predicted   bigint  not null check (predicted >= 0),
    recall      double precision generated always as
                    (case when images > 0 then hits::double precision / images end) stored,
    primary key (run_id, epoch, class_index)
);

-- How the run starts, by name (dev.nin.core.training.Recipe): 'default' opens the classifier and
-- warms the learning rate up so that no class dies; 'chapter' is the chapter as printed (plain
-- Glorot-uniform, full rate from step 1). Runs recorded before this column trained with the open
-- classifier and no warm-up.
alter table training_run add column recipe text not null default 'default'
    check (recipe in ('default', 'chapter'));

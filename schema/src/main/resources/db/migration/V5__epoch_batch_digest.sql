-- The epoch checkpoint records which of the epoch's batches were applied, as an order-independent
-- digest (dev.nin.contracts.BatchDigest) that anyone can recompute from the run's train topic: a
-- batch lost and another applied twice leave the image count right but change the digest.
alter table checkpoint add column epoch_batches_digest bigint;

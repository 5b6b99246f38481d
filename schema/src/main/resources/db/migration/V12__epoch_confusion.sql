-- Each epoch's confusion matrix, one row per class: predicted_as[k] (1-based, SQL arrays) counts
-- this class's test images predicted as class k - 1; a tied top is no prediction, so a row can sum
-- to less than its images. The diagonal is hits; a column summing to 0 is a dead class.
-- Null for evaluations recorded before this column.
alter table epoch_class_metric add column predicted_as bigint[]
    check (predicted_as is null or (
        array_ndims(predicted_as) = 1 and array_lower(predicted_as, 1) = 1
        and cardinality(predicted_as) > class_index
        and array_position(predicted_as, null) is null
        and 0 <= all (predicted_as)
        and predicted_as[class_index + 1] = hits));

-- The name pg_partman's show_partition_name() gives the partition that starts at a bound of the set's grid, made here
-- rather than asked for: that function walks the set's partitions, so that a plan or a split step would cost as much
-- as the set has partitions.
@NAME@ := @CHECK_NAME_LENGTH@(@TABLE@, CASE v_kind WHEN 'time' THEN to_char(@LOW@::timestamptz, v_config.datetime_string)
                                                   ELSE (@LOW@::numeric)::bigint::text END, true);

count(*), coalesce(sum(hashtextextended(partman_repartition_row, 0)), 0), coalesce(sum(hashtextextended(partman_repartition_row, 1)), 0)

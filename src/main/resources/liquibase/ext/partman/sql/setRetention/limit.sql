IF v_count > @MAX_PARTITIONS_DROPPED@ THEN
  RAISE EXCEPTION 'liquibase-partman: retention % would make the next maintenance % % partitions of %, more than maxPartitionsDropped (@MAX_PARTITIONS_DROPPED@): %', @RETENTION@, v_action, v_count, @PARENT@, v_children
    USING HINT = 'If these partitions may go, raise maxPartitionsDropped; otherwise choose a longer retention.';
END IF;

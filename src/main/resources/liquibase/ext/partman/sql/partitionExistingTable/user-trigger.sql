NOT t.tgisinternal AND t.tgname NOT IN ('partman_log', 'partman_log_truncate', 'partman_back', 'partman_back_truncate')

# PostgreSQL 17 with pg_partman 5.x and pg_cron, both from the PGDG apt repository that the
# official image already configures.
FROM postgres:17

RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-17-partman postgresql-17-cron \
    && rm -rf /var/lib/apt/lists/*

# pg_cron must be preloaded and can schedule jobs in one database only. A different command
# (e.g. Testcontainers with database partman_test) must repeat shared_preload_libraries and pass
# its own -c cron.database_name=...
CMD ["postgres", \
     "-c", "shared_preload_libraries=pg_stat_statements,pg_cron", \
     "-c", "cron.database_name=idpserver", \
     "-c", "timezone=UTC"]

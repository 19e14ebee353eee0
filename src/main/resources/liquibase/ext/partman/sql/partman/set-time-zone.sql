PERFORM set_config('TimeZone', @TIME_ZONE@, @LOCAL@);

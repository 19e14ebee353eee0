@SET_TIME_ZONE@
PERFORM set_config('DateStyle', 'ISO, YMD', true);

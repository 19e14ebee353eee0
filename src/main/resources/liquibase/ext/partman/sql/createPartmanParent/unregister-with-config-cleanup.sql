PERFORM @CONFIG_CLEANUP@(p_parent_table := @PARENT@, p_template_table := @DROP_TEMPLATE@);

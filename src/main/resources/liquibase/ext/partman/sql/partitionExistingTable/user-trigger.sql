NOT t.tgisinternal AND NOT @OWN_TRIGGER@

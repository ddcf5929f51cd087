"""The territory at a glance, for the regional staff (``/admin/territory``)."""

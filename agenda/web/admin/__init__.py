"""The staff area: sign-in, dashboard, accounts, actors, audit log."""

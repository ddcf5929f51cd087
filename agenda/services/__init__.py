"""The use cases beside collection: proposals through the form, their moderation, campaigns.

Services flush and never commit: the request, the CLI command or the worker commits.  Nothing
here imports Flask."""

"""Staff moderate the proposals: the queue, a proposal, edits before publishing."""

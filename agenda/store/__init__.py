"""All SQL lives here, one module per aggregate.  Functions flush, callers commit."""

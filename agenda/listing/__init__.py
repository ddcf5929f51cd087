"""Listings: the filters every page, feed and API call shares, and the query that answers them."""

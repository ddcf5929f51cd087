"""Actors propose events and initiatives; the secret link to correct or cancel them."""

"""Campaigns such as the Mois de l'ESS: their public pages and their staff administration."""

"""What the application says to people outside the web pages too (e-mails, the command line):
the catalogues of msgids, and the pure code that says them in one language (no Flask)."""

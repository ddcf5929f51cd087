"""What every area of the web app shares: dates and links, language, filter messages, security headers, staff sign-in."""

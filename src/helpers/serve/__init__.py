"""The servers: the live preview of one report, and the site of every published report."""

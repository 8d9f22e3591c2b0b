"""The public site: thin views, their URLs and forms."""

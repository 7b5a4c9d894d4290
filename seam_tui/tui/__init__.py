"""The Textual front end: screens and widgets that call only the service and workspaces."""

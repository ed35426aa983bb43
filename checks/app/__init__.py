"""The application: command line, configuration, files and folders, worker processes."""

"""Downloads of the back office and the command line, one module per list."""

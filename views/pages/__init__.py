"""One script per page: each reads widgets and session state, calls ``course``, and renders."""

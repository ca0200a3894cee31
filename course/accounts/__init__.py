"""Who learns and who teaches: accounts and password hashing, lesson progress, the users command."""

"""What tutors write: lessons, glossary, figure markers and specs, the YAML reader, the lesson editor."""

"""Study reports."""

"""Stage 3: tables and sentences → facts with canonical keys, and the checks of their arithmetic."""

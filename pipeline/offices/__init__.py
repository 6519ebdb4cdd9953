"""Office names → office identity (level, area, region code, parent): pipeline/offices/."""

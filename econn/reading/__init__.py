"""Client and GC files read right: encoding, dialect, loading with located rejects, header mapping,
typed values in SQL, the .xlsx guard, and the import of GC reference exports."""

"""GB/T 2260 administrative regions: province → city → county → township."""

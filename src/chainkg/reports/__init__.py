"""Reports staff open: terminal summary, Markdown/JSON, a self-contained HTML file with chain maps, an Excel workbook."""
